package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
                        "the refresh token was rotated", "An attacker replays the old",
                        "Every step behaved as expected.")
                .contains("16 calls at once, 1 refresh request", "1 got new tokens, 7 got invalid_grant",
                        "the session listener hears: logged out (INVALID_GRANT)")
                .contains("Validate the ID token as a relying party", "a new ID token of the same login",
                        "REUSE refresh 2: the same refresh token", "without the CSRF header is refused",
                        "the cookie cleared")
                .doesNotContain("UNEXPECTED");
    }
}
