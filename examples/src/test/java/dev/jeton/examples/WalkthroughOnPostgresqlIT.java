package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The walkthrough with the demo server on the local PostgreSQL instead of the embedded database. */
class WalkthroughOnPostgresqlIT {

    @Test
    void theWalkthroughPassesEveryStepOnPostgresql() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            c.isValid(3);
        } catch (SQLException e) {
            if ("true".equals(System.getenv("JETON_REQUIRE_RESOURCES"))) {
                throw new AssertionError("PostgreSQL is required (JETON_REQUIRE_RESOURCES=true) but unreachable at " + url, e);
            }
            Assumptions.abort("PostgreSQL not reachable at " + url + "; skipping (JETON_REQUIRE_RESOURCES=true makes this a failure)");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int failures = Walkthrough.run(new PrintStream(output, true, StandardCharsets.UTF_8),
                DemoServer.Config.defaults().withJdbc(url, "postgres", ""));

        assertThat(failures).as(output.toString(StandardCharsets.UTF_8)).isZero();
    }
}
