package dev.jeton.store.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The databases {@link JdbcTokenStore} speaks to. They differ in little: the schema script (types, and the collation
 * that makes every text comparison exact), how a conditional {@code UPDATE} hands back the row it changed, the locking
 * read, and the upsert of an access-token denial. Detected from {@link DatabaseMetaData}, or set explicitly.
 */
public enum Dialect {
    /** H2 2.x: a step reads its row back from the {@code UPDATE} itself ({@code SELECT … FROM FINAL TABLE (UPDATE …)}). */
    H2("h2", Steps.FINAL_TABLE, "FOR UPDATE", """
            MERGE INTO ${prefix}denied_jti t USING (VALUES (CAST(? AS VARCHAR(64)), CAST(? AS BIGINT))) AS s(jti, e)
            ON t.jti = s.jti
            WHEN MATCHED THEN UPDATE SET expires_at = GREATEST(t.expires_at, s.e)
            WHEN NOT MATCHED THEN INSERT (jti, expires_at) VALUES (s.jti, s.e)
            """),
    /** PostgreSQL 12 and later: a step is one {@code UPDATE … RETURNING}. */
    POSTGRESQL("postgresql", Steps.RETURNING, "FOR SHARE", """
            INSERT INTO ${prefix}denied_jti (jti, expires_at) VALUES (?, ?)
            ON CONFLICT (jti) DO UPDATE SET expires_at = GREATEST(${prefix}denied_jti.expires_at, EXCLUDED.expires_at)
            """),
    /**
     * MySQL 8.0.17 and later (InnoDB): the first with a no-pad binary collation for utf8mb4. No {@code RETURNING}: a
     * step is an {@code UPDATE}, then a read of the row by primary key.
     */
    MYSQL("mysql", Steps.UPDATE_THEN_SELECT, "LOCK IN SHARE MODE", Upsert.ON_DUPLICATE_KEY),
    /**
     * MariaDB 10.6 and later (InnoDB). Its own script: the no-pad binary collations it has ({@code *_nopad_bin}) are
     * not the ones MySQL has ({@code utf8mb4_0900_bin}). Before 11.x, no {@code UPDATE … RETURNING}: steps as on MySQL.
     */
    MARIADB("mariadb", Steps.UPDATE_THEN_SELECT, "LOCK IN SHARE MODE", Upsert.ON_DUPLICATE_KEY);

    /** How a conditional step on a family row learns the row it changed. */
    enum Steps {
        /** {@code UPDATE … RETURNING …}: one statement. */
        RETURNING,
        /** {@code SELECT … FROM FINAL TABLE (UPDATE …)}: one statement. */
        FINAL_TABLE,
        /** {@code UPDATE …}, then {@code SELECT …} by primary key. */
        UPDATE_THEN_SELECT
    }

    /** Statements shared by dialects. */
    private static final class Upsert {
        static final String ON_DUPLICATE_KEY = """
                INSERT INTO ${prefix}denied_jti (jti, expires_at) VALUES (?, ?)
                ON DUPLICATE KEY UPDATE expires_at = GREATEST(expires_at, VALUES(expires_at))
                """;
    }

    private final String schemaName;
    private final Steps steps;
    private final String lockingReadSuffix;
    private final String denyJtiSql;

    Dialect(String schemaName, Steps steps, String lockingReadSuffix, String denyJtiSql) {
        this.schemaName = schemaName;
        this.steps = steps;
        this.lockingReadSuffix = lockingReadSuffix;
        this.denyJtiSql = denyJtiSql;
    }

    /**
     * The classpath resource holding this dialect's DDL, with {@code ${prefix}} standing for the table prefix, e.g.
     * {@code dev/jeton/store/jdbc/schema-postgresql.sql}.
     */
    public String schemaResource() {
        return "dev/jeton/store/jdbc/schema-" + schemaName + ".sql";
    }

    Steps steps() {
        return steps;
    }

    /** Appended to a {@code SELECT} so that it waits for, and then sees, a write in flight on the same row. */
    String lockingReadSuffix() {
        return lockingReadSuffix;
    }

    String denyJtiSql() {
        return denyJtiSql;
    }

    /**
     * The dialect of a database, from its product name (and, for a MariaDB server behind MySQL's driver, its version).
     *
     * @throws IllegalArgumentException for a database Jeton does not support
     * @throws SQLException if the metadata cannot be read
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
