package dev.jeton.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the JDBC store is tested on. H2 always runs; PostgreSQL and MariaDB are the local servers. When one
 * is unreachable, its tests are skipped with a message, except when {@code JETON_REQUIRE_RESOURCES=true} (as {@code .ci/run} sets it),
 * where they fail loudly.
 */
public final class TestDatabases {

    public enum Kind {
        H2("jdbc:h2:mem:jeton;DB_CLOSE_DELAY=-1", "sa", ""),
        POSTGRESQL(env("JETON_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"), env("JETON_PG_USER", "postgres"),
                env("JETON_PG_PASSWORD", "")),
        MARIADB(env("JETON_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test"), env("JETON_MARIADB_USER", "root"),
                env("JETON_MARIADB_PASSWORD", ""));

        final String url;
        final String user;
        final String password;

        Kind(String url, String user, String password) {
            this.url = url;
            this.user = user;
            this.password = password;
        }
    }

    private static final Map<String, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    private TestDatabases() {
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** A pooled data source for the database, or the test is skipped (or, when resources are required, fails) if unreachable. */
    public static DataSource pool(Kind kind) {
        return pool(kind, true);
    }

    /**
     * A pooled data source whose connections come in the given autocommit mode (HikariCP's default is on), or the test
     * is skipped (or, under CI=true, fails) if unreachable.
     */
    public static DataSource pool(Kind kind, boolean autoCommit) {
        requireReachable(kind);
        return POOLS.computeIfAbsent(kind + "/" + autoCommit, k -> {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(kind.url);
            config.setUsername(kind.user);
            config.setPassword(kind.password);
            config.setAutoCommit(autoCommit);
            config.setMaximumPoolSize(12);
            config.setPoolName("jeton-test-" + kind.name().toLowerCase() + (autoCommit ? "" : "-manual-commit"));
            return new HikariDataSource(config);
        });
    }

    public static void requireReachable(Kind kind) {
        if (kind == Kind.H2) {
            return;
        }
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(kind.url, kind.user, kind.password)) {
            c.isValid(3);
        } catch (SQLException e) {
            String message = kind + " is not reachable at " + kind.url + " (" + e.getSQLState() + "): ";
            if ("true".equals(System.getenv("JETON_REQUIRE_RESOURCES"))) {
                throw new AssertionError(message + "JETON_REQUIRE_RESOURCES=true requires it; start it (see .ci/run)", e);
            }
            Assumptions.abort(message + "skipping its tests; set JETON_REQUIRE_RESOURCES=true to make this a failure");
        }
    }

    /** A table prefix no other test uses. */
    public static String uniquePrefix() {
        return "jt" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
    }

    public static void dropTables(DataSource dataSource, String prefix) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("family", "denied_jti")) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }
    }

    /** How many rows a table of the store holds. */
    public static long rowCount(DataSource dataSource, String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            long count = rs.getLong(1);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return count;
        }
    }

    /** Every value of every row of the store's tables, as text. */
    public static List<Object> allValues(DataSource dataSource, String prefix) throws SQLException {
        List<Object> values = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : List.of("family", "denied_jti")) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM " + prefix + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object value = rs.getObject(i);
                            if (value != null) {
                                values.add(value instanceof byte[] ? value : value.toString());
                            }
                        }
                    }
                }
            }
        }
        return values;
    }
}
