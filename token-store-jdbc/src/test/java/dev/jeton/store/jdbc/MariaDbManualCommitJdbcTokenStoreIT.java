package dev.jeton.store.jdbc;

/** The store contract on MARIADB, with a pool that hands out connections with autocommit off. */
class MariaDbManualCommitJdbcTokenStoreIT extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.MARIADB;
    }

    @Override
    boolean autoCommit() {
        return false;
    }
}
