package dev.jeton.store.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The databases {@link JdbcTokenStore} speaks to. They differ in little: the schema script (types, and the collation
 * that makes every text comparison exact) and the upsert of an access-token denial. Detected from
 * {@link DatabaseMetaData}, or set explicitly.
 */
public enum Dialect {
    /** H2 2.x. */
    H2("h2", """
            MERGE INTO ${prefix}denied_jti t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) AS s(jti, e)
            ON t.jti = s.jti
            WHEN MATCHED THEN UPDATE SET expires_at = GREATEST(t.expires_at, s.e)
            WHEN NOT MATCHED THEN INSERT (jti, expires_at) VALUES (s.jti, s.e)
            """),
    /** PostgreSQL 12 and later. */
    POSTGRESQL("postgresql", """
            INSERT INTO ${prefix}denied_jti (jti, expires_at) VALUES (?, ?)
            ON CONFLICT (jti) DO UPDATE SET expires_at = GREATEST(${prefix}denied_jti.expires_at, EXCLUDED.expires_at)
            """),
    /** MySQL 8.0.17 and later (InnoDB): the first with a no-pad binary collation for utf8mb4. */
    MYSQL("mysql", Upsert.ON_DUPLICATE_KEY),
    /**
     * MariaDB 10.6 and later (InnoDB). Its own script: the no-pad binary collations it has ({@code *_nopad_bin}) are
     * not the ones MySQL has ({@code utf8mb4_0900_bin}).
     */
    MARIADB("mariadb", Upsert.ON_DUPLICATE_KEY);

    /** Statements shared by dialects. */
    private static final class Upsert {
        static final String ON_DUPLICATE_KEY = """
                INSERT INTO ${prefix}denied_jti (jti, expires_at) VALUES (?, ?)
                ON DUPLICATE KEY UPDATE expires_at = GREATEST(expires_at, VALUES(expires_at))
                """;
    }

    private final String schemaName;
    private final String denyJtiSql;

    Dialect(String schemaName, String denyJtiSql) {
        this.schemaName = schemaName;
        this.denyJtiSql = denyJtiSql;
    }

    /**
     * The classpath resource holding this dialect's DDL, with {@code ${prefix}} standing for the table prefix, e.g.
     * {@code dev/jeton/store/jdbc/schema-postgresql.sql}.
     */
    public String schemaResource() {
        return "dev/jeton/store/jdbc/schema-" + schemaName + ".sql";
    }

    String denyJtiSql() {
        return denyJtiSql;
    }

    /**
     * The dialect of a database, from its product name.
     *
     * @throws IllegalArgumentException for a database Jeton does not support
     */
    public static Dialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        // MySQL's own driver names a MariaDB server "MySQL"; its version string still says MariaDB.
        if (product.contains("mariadb")
                || product.contains("mysql") && metaData.getDatabaseProductVersion().toLowerCase(Locale.ROOT)
                        .contains("mariadb")) {
            return MARIADB;
        }
        if (product.contains("mysql")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("JdbcTokenStore supports H2, PostgreSQL, MySQL and MariaDB, not "
                + metaData.getDatabaseProductName() + "; set the dialect explicitly if yours speaks one of them");
    }
}
