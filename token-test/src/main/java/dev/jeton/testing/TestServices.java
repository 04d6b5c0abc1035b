package dev.jeton.testing;

import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Ready {@link TokenService}s for applications' unit tests.
 *
 * <pre>{@code
 * TestClock clock = TestClock.fixed();
 * TokenService tokens = TestServices.tokenService(clock);
 * TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
 * clock.advance(Duration.ofMinutes(15));
 * TokenAssertions.assertExpired(tokens, pair.accessToken());
 * }</pre>
 */
public final class TestServices {

    /** The issuer of {@link #tokenService}'s tokens. */
    public static final String ISSUER = "https://issuer.test";
    /** The audience of {@link #tokenService}'s tokens. */
    public static final String AUDIENCE = "https://api.test";

    private TestServices() {
    }

    /**
     * A new {@link TokenService} on a new in-memory store: issuer {@value #ISSUER}, audience {@value #AUDIENCE}, a
     * generated ES256 key, revocation-aware validation without caching (a revoked session's access tokens are refused
     * at once), and the given clock; everything else at its defaults. Each call has its own store and key.
     *
     * @throws NullPointerException if {@code clock} is null
     */
    public static TokenService tokenService(Clock clock) {
        Objects.requireNonNull(clock, "clock");
        return TokenService.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .keys(KeyProvider.of(JwtKey.generate("test-es256", JwsAlgorithm.ES256)))
                .store(new InMemoryTokenStore())
                .revocationAwareValidation(Duration.ZERO)
                .clock(clock)
                .build();
    }
}
