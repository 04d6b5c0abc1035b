package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The store contract on MARIADB. */
class MariaDbJdbcTokenStoreIT extends JdbcTokenStoreContract {

    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.MARIADB;
    }

    @Test
    void theLocalMariaDbServerGetsTheMariaDbScript() {
        DataSource mariadb = TestDatabases.pool(TestDatabases.Kind.MARIADB);

        assertThat(JdbcTokenStore.builder(mariadb).build().dialect()).isEqualTo(Dialect.MARIADB);
        assertThat(Dialect.MARIADB.schemaResource()).isEqualTo("dev/jeton/store/jdbc/schema-mariadb.sql");
    }
}
