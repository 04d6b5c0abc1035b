package dev.jeton.spring.starter;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The flow on PostgreSQL through the application's DataSource (HikariCP): the JDBC store on its own tables, created
 * at start-up because initialize-schema is ALWAYS.
 */
@ExtendWith(RequiresPostgres.class)
class PostgresStarterFlowTest extends StarterFlowContract {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> RequiresPostgres.URL);
        registry.add("spring.datasource.username", () -> RequiresPostgres.USER);
        registry.add("spring.datasource.password", () -> RequiresPostgres.PASSWORD);
        registry.add("jeton.store.jdbc.table-prefix", () -> "jeton_starter_");
        registry.add("jeton.store.jdbc.initialize-schema", () -> "always");
    }

    @Override
    String expectedStore() {
        return "POSTGRESQL";
    }
}
