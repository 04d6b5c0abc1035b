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

/** The README's main command, as a test: the whole flow over real HTTP behaves as the walkthrough expects. */
class WalkthroughTest {

    @Test
    void theWalkthroughPassesEveryStepOnTheEmbeddedDatabase() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        int failures = Walkthrough.run(new PrintStream(output, true, StandardCharsets.UTF_8),
                DemoServer.Config.defaults());

        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(failures).as(printed).isZero();
        assertThat(printed)
                .contains("(A)+(B) Log in", "(E)+(F) Fifteen minutes pass", "got 401; refreshing",
                        "the refresh token was rotated", "An attacker replays the old", "Every step behaved as expected.")
                .doesNotContain("UNEXPECTED");
    }

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
