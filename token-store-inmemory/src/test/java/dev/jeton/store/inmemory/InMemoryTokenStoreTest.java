package dev.jeton.store.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * What only the in-memory store does. The contract every store passes runs on it in token-store-tck's tests, and
 * core's refresh flows on it in integration-tests: both depend on token-test, which depends on this module.
 */
class InMemoryTokenStoreTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final KeyProvider KEYS = KeyProvider.of(JwtKey.generate("inmemory-hs256", JwsAlgorithm.HS256));

    private static TokenService service(InMemoryTokenStore store, Instant now) {
        return TokenService.builder()
                .issuer("https://issuer.test")
                .audience("https://api.test")
                .keys(KEYS)
                .store(store)
                .clock(Clock.fixed(now, ZoneOffset.UTC))
                .refreshTokenIdleTtl(Duration.ofHours(1))
                .refreshTokenMaxTtl(Duration.ofHours(10))
                .build();
    }

    @Test
    void expiredFamiliesArePurgedEvenIfTheHostNeverCallsPurge() {
        InMemoryTokenStore memory = new InMemoryTokenStore();
        TokenService early = service(memory, T0);
        for (int i = 0; i < 1_000; i++) {
            early.issue(IssueRequest.forSubject("user-" + i).client("web").build());
        }
        TokenService later = service(memory, T0.plus(Duration.ofHours(10)));
        for (int i = 0; i < 1_100; i++) {
            later.issue(IssueRequest.forSubject("later-" + i).client("web").build());
        }

        assertThat(memory.familyCount()).isEqualTo(1_100);
    }
}
