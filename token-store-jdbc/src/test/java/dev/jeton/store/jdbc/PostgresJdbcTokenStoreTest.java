package dev.jeton.store.jdbc;

/** The store contract on POSTGRESQL. */
class PostgresJdbcTokenStoreTest extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
