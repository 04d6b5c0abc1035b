package dev.jeton.store.jdbc;

import dev.jeton.store.TokenStore;
import dev.jeton.store.tck.TokenStoreContract;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The contract kit on one database; each test gets its own tables (a fresh prefix), dropped afterwards. */
abstract class JdbcTokenStoreContract extends TokenStoreContract {

    private DataSource dataSource;
    private String prefix;

    abstract TestDatabases.Kind kind();

    /** Whether the pool hands out connections in autocommit (HikariCP's default). */
    boolean autoCommit() {
        return true;
    }

    @Override
    protected TokenStore createStore(TestClock clock) {
        dataSource = TestDatabases.pool(kind(), autoCommit());
        prefix = TestDatabases.uniquePrefix();
        return JdbcTokenStore.builder(dataSource).tablePrefix(prefix).createSchemaIfMissing(true).build();
    }

    @Override
    protected int concurrencyRounds() {
        return 20;
    }

    /** Rows of both tables: one per family, one per denied access token. */
    @Override
    protected long recordCount(TokenStore store) {
        try {
            return TestDatabases.rowCount(dataSource, prefix + "family")
                    + TestDatabases.rowCount(dataSource, prefix + "denied_jti");
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected Stream<Object> storedValues(TokenStore store) {
        try {
            return TestDatabases.allValues(dataSource, prefix).stream();
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void dropTables() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(dataSource, prefix);
        }
    }
}
