package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.Introspection;
import dev.jeton.RefreshRotation;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Through a {@link TokenService} on the store (idle lifetime 1 hour, absolute 10 hours): the idle expiry slides, the
 * absolute one never moves, and a token is expired at exactly its expiry instant, in both rotation modes.
 */
abstract class ServiceExpiryChecks extends ContractGroup {

    ServiceExpiryChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void aTokenIsExpiredAtExactlyItsIdleExpiry() {
        TokenService tokens = service();
        TokenPair expiring = tokens.issue(login("hank"));
        TokenPair usable = tokens.issue(login("hank"));

        clock().advance(Duration.ofHours(1).minusMillis(1));
        assertThat(tokens.refresh(refreshOf(usable)).refreshToken()).isPresent();

        clock().advance(Duration.ofMillis(1));
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(expiring)))).isEqualTo(Reason.EXPIRED);
        assertThat(stored(expiring.sessionId().orElseThrow()).isRevoked()).isFalse();
    }

    @Test
    void eachRefreshStartsANewIdlePeriod() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("hank"));
        for (int i = 0; i < 5; i++) {
            clock().advance(Duration.ofMinutes(50));
            pair = tokens.refresh(refreshOf(pair));
        }

        assertThat(stored(pair.sessionId().orElseThrow()).idleExpiresAt()).isEqualTo(now().plus(Duration.ofHours(1)));
    }

    @Test
    void theAbsoluteExpiryIsNeverExtended() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("ivan"));
        Instant absolute = now().plus(Duration.ofHours(10));
        for (int i = 0; i < 10; i++) {
            clock().advance(Duration.ofMinutes(55));
            pair = tokens.refresh(refreshOf(pair));
        }
        assertThat(tokens.introspect(pair.refreshToken().orElseThrow())).isInstanceOfSatisfying(
                Introspection.Active.class, active -> assertThat(active.expiresAt()).isEqualTo(absolute));

        clock().set(absolute.minusMillis(1));
        TokenPair last = tokens.refresh(refreshOf(pair));
        assertThat(stored(last.sessionId().orElseThrow()).idleExpiresAt()).isEqualTo(absolute);
        clock().set(absolute);
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(last)))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void reuseModeReturnsTheSameTokenAndSlidesItsIdleExpiryUpToTheAbsoluteOne() {
        TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
        TokenPair pair = tokens.issue(login("judy"));
        String token = pair.refreshToken().orElseThrow();
        Instant absolute = now().plus(Duration.ofHours(10));

        for (int i = 0; i < 10; i++) {
            clock().advance(Duration.ofMinutes(55));
            TokenPair next = tokens.refresh(refreshOf(pair));
            assertThat(next.refreshToken()).contains(token);
            assertThat(next.accessToken()).isNotEqualTo(pair.accessToken());
            pair = next;
        }
        assertThat(stored(pair.sessionId().orElseThrow()).generation()).isZero();
        assertThat(tokens.introspect(token)).isInstanceOfSatisfying(
                Introspection.Active.class, active -> assertThat(active.expiresAt()).isEqualTo(absolute));
        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).contains(token);

        clock().set(absolute);
        TokenPair last = pair;
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(last)))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void reuseModeExpiresAnUnusedTokenAtItsIdleExpiry() {
        TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
        TokenPair pair = tokens.issue(login("judy"));

        clock().advance(Duration.ofHours(1).minusMillis(1));
        TokenPair slid = tokens.refresh(refreshOf(pair));
        clock().advance(Duration.ofHours(1));

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(slid)))).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void reuseModeDoesNotSlideARevokedFamily() {
        TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
        TokenPair pair = tokens.issue(login("judy"));

        tokens.revoke(pair.refreshToken().orElseThrow());

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(pair)))).isEqualTo(Reason.REVOKED);
    }
}
