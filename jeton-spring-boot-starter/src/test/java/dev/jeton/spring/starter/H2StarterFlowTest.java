package dev.jeton.spring.starter;

/** The flow on the application's embedded H2 database: the JDBC store, tables created at start-up. */
class H2StarterFlowTest extends StarterFlowContract {

    @Override
    String expectedStore() {
        return "JdbcTokenStore";
    }
}
