package dev.jeton.spring.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.TokenService;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application with a database and its own clock, tested with {@link AutoConfigureJetonTest}: Jeton uses the
 * in-memory store and the test clock instead.
 */
@SpringBootTest(classes = AutoConfigureJetonTestTest.Application.class, properties = {
        "jeton.issuer=https://issuer.test", "jeton.audience=https://api.test",
        "spring.datasource.url=jdbc:h2:mem:jeton-test-slice;DB_CLOSE_DELAY=-1"},
        webEnvironment = SpringBootTest.WebEnvironment.NONE)
@AutoConfigureJetonTest
class AutoConfigureJetonTestTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Application {
        @Bean
        Clock applicationClock() {
            return Clock.systemUTC();
        }
    }

    @Autowired
    TokenService tokens;
    @Autowired
    TokenStore store;
    @Autowired
    TestClock clock;

    @Test
    void theStoreIsInMemoryAndTheTestMovesTime() {
        String token = tokens.issue(IssueRequest.forSubject("alice").client("web").build()).accessToken();
        assertThat(tokens.validate(token).subject()).isEqualTo("alice");

        clock.advance(Duration.ofMinutes(15));

        assertThat(store).isInstanceOf(InMemoryTokenStore.class);
        assertThatThrownBy(() -> tokens.validate(token)).isInstanceOfSatisfying(InvalidTokenException.class,
                e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.EXPIRED));
    }
}
