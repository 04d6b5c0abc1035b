package dev.jeton.store.jdbc;

/** The store contract on MARIADB. */
class MariaDbJdbcTokenStoreTest extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.MARIADB;
    }
}
