package dev.jeton.store.jdbc;

/** The store contract on POSTGRESQL, with a pool that hands out connections with autocommit off. */
class PostgresManualCommitJdbcTokenStoreIT extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }

    @Override
    boolean autoCommit() {
        return false;
    }
}
