package dev.jeton.store.jdbc;

/** The store contract on H2. */
class H2JdbcTokenStoreTest extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.H2;
    }
}
