package dev.jeton.store.jdbc;

/** The store contract on POSTGRESQL. */
class PostgresJdbcTokenStoreIT extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
