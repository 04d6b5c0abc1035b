package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.tck.ForwardingTokenStore;
import dev.jeton.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A revocation made while a revocation-aware validation is reading the store: the validation may still pass (it
 * began first), but its stale "not revoked" answer must not be cached over the revocation.
 */
class RevocationRaceTest {

    private final TestClock clock = TestClock.fixed();
    private final PausingStore store = new PausingStore(new InMemoryTokenStore());
    private final TokenService tokens = TokenService.builder()
            .issuer("https://issuer.test").audience("https://api.test")
            .keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.ES256)))
            .store(store).clock(clock)
            .revocationAwareValidation(Duration.ofSeconds(5))
            .build();
    private final ExecutorService api = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        store.release.countDown();
        api.shutdownNow();
    }

    @Test
    void sessionRevokedDuringAValidationsLookupStaysRevoked() throws Exception {
        TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
        store.pauseFamilyLookup = true;
        Future<VerifiedAccessToken> inFlight = api.submit(() -> tokens.validate(login.accessToken()));
        assertThat(store.paused.await(10, TimeUnit.SECONDS)).isTrue();

        tokens.revoke(login.refreshToken().orElseThrow());
        store.release.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).subject()).isEqualTo("alice");
        assertRevoked(login.accessToken());
    }

    @Test
    void accessTokenRevokedDuringAValidationsLookupStaysRevoked() throws Exception {
        TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
        store.pauseJtiLookup = true;
        Future<VerifiedAccessToken> inFlight = api.submit(() -> tokens.validate(login.accessToken()));
        assertThat(store.paused.await(10, TimeUnit.SECONDS)).isTrue();

        tokens.revoke(login.accessToken());
        store.release.countDown();

        assertThat(inFlight.get(10, TimeUnit.SECONDS).subject()).isEqualTo("alice");
        assertRevoked(login.accessToken());
    }

    private void assertRevoked(String accessToken) {
        assertThatThrownBy(() -> tokens.validate(accessToken))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
    }

    /** Reads the answer, then, once, waits for the test to revoke before handing it back. */
    private static final class PausingStore extends ForwardingTokenStore {
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean pauseFamilyLookup;
        volatile boolean pauseJtiLookup;

        PausingStore(InMemoryTokenStore delegate) {
            super(delegate);
        }

        @Override
        public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
            RevocationStatus answer = super.revocationStatus(familyId, jti, now);
            if (pauseFamilyLookup || pauseJtiLookup) {
                pauseFamilyLookup = false;
                pauseJtiLookup = false;
                pause();
            }
            return answer;
        }

        private void pause() {
            paused.countDown();
            try {
                assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
