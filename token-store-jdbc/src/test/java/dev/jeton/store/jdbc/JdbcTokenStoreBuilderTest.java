package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcTokenStoreBuilderTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "Jeton_", "1jeton_", "jeton;drop table x;--", "jeton-", "a_very_long_prefix_of_thirty_two_c"})
    void aTablePrefixThatIsNotASimpleIdentifierIsRefused(String prefix) {
        DataSource h2 = TestDatabases.pool(TestDatabases.Kind.H2);

        assertThatThrownBy(() -> JdbcTokenStore.builder(h2).tablePrefix(prefix))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[a-z][a-z0-9_]{0,30}");
        assertThatThrownBy(() -> JdbcTokenStore.schemaStatements(Dialect.H2, prefix))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void everyDialectShipsItsScriptWithTheFamilyAndDenialTablesOnly(Dialect dialect) {
        assertThat(JdbcTokenStore.schemaStatements(dialect, "app_"))
                .anySatisfy(sql -> assertThat(sql).startsWith("CREATE TABLE IF NOT EXISTS app_family"))
                .anySatisfy(sql -> assertThat(sql).startsWith("CREATE TABLE IF NOT EXISTS app_denied_jti"))
                .filteredOn(sql -> sql.startsWith("CREATE TABLE")).hasSize(2)
                .noneSatisfy(sql -> assertThat(sql).contains("${prefix}"));
    }

    @ParameterizedTest
    @CsvSource({
        "H2, 2.4.240 (2025-09-22), H2",
        "PostgreSQL, 15.20, POSTGRESQL",
        "MySQL, 8.0.40, MYSQL",
        "MariaDB, 10.11.19-MariaDB-0+deb12u1, MARIADB",
        "MySQL, 5.5.5-10.11.19-MariaDB-0+deb12u1, MARIADB"})
    void aMariaDbServerIsDetectedAsMariaDbWhicheverDriverNamesIt(String product, String version, Dialect expected)
            throws SQLException {
        DatabaseMetaData metaData = (DatabaseMetaData) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getDatabaseProductName" -> product;
                    case "getDatabaseProductVersion" -> version;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        assertThat(Dialect.detect(metaData)).isEqualTo(expected);
    }

    @Test
    void theDialectIsDetectedOrTakenAsGivenAndTheSchemaCreatedOnlyWhenAsked() throws SQLException {
        DataSource h2 = TestDatabases.pool(TestDatabases.Kind.H2);
        String prefix = TestDatabases.uniquePrefix();
        try {
            JdbcTokenStore detected = JdbcTokenStore.builder(h2).tablePrefix(prefix).build();
            assertThat(detected.dialect()).isEqualTo(Dialect.H2);
            assertThatThrownBy(() -> detected.findFamily("none")).hasMessageContaining("SQLState");

            JdbcTokenStore created = JdbcTokenStore.builder(h2).tablePrefix(prefix).dialect(Dialect.H2)
                    .createSchemaIfMissing(true).build();
            assertThat(created.findFamily("none")).isEmpty();
            JdbcTokenStore again = JdbcTokenStore.builder(h2).tablePrefix(prefix).createSchemaIfMissing(true).build();
            assertThat(again.findFamily("none")).isEmpty();
        } finally {
            TestDatabases.dropTables(h2, prefix);
        }
    }

    @Test
    void optionsAreSetOnce() {
        DataSource h2 = TestDatabases.pool(TestDatabases.Kind.H2);

        assertThatThrownBy(() -> JdbcTokenStore.builder(h2).tablePrefix("a_").tablePrefix("b_"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tablePrefix was already set");
        assertThatThrownBy(() -> JdbcTokenStore.builder(h2).maxAttempts(0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
