package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.RefreshRequest;
import dev.jeton.RevocationReason;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Revocation;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Through a {@link TokenService} on the store: rotation, reuse detection for the family's whole life, the grace
 * window, and refreshes that fail without consuming anything.
 */
abstract class ServiceRefreshChecks extends ContractGroup {

    ServiceRefreshChecks(TokenStoreContract contract) {
        super(contract);
    }

    private TokenService graceful(int uses) {
        return service(b -> b.reuseGrace(Records.GRACE).reuseGraceUses(uses));
    }

    @Test
    void aRefreshReturnsANewRefreshTokenInTheSameSession() {
        TokenService tokens = service();
        TokenPair first = tokens.issue(login("alice"));

        TokenPair next = tokens.refresh(refreshOf(first));

        assertThat(next.refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
        assertThat(next.sessionId()).isEqualTo(first.sessionId());
        assertThat(tokens.validate(next.accessToken()).sessionId()).isEqualTo(first.sessionId());
        assertThat(tokens.introspect(first.refreshToken().orElseThrow()).active()).isFalse();
        assertThat(tokens.introspect(next.refreshToken().orElseThrow()).active()).isTrue();
        assertThat(stored(first.sessionId().orElseThrow()).generation()).isEqualTo(1);
    }

    @Test
    void replayingARotatedTokenIsReuseAndRevokesTheWholeFamily() {
        TokenService tokens = service();
        TokenPair first = tokens.issue(login("alice"));
        TokenPair next = tokens.refresh(refreshOf(first));

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(first)))).isEqualTo(Reason.REUSED);

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(next)))).isEqualTo(Reason.REVOKED);
        assertThatThrownBy(() -> tokens.validate(next.accessToken()))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
        assertThat(stored(first.sessionId().orElseThrow()).revocation().map(Revocation::reason))
                .contains(RevocationReason.REUSE_DETECTED);
    }

    @Test
    void anyEarlierGenerationIsReuseHoweverOld() {
        TokenService tokens = service();
        List<TokenPair> pairs = new ArrayList<>(List.of(tokens.issue(login("alice"))));
        for (int i = 0; i < 20; i++) {
            clock().advance(Duration.ofMinutes(10));
            pairs.add(tokens.refresh(refreshOf(pairs.get(pairs.size() - 1))));
        }

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(pairs.get(2))))).isEqualTo(Reason.REUSED);

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(pairs.get(20))))).isEqualTo(Reason.REVOKED);
    }

    @Test
    void anInstanceThatNeverSawTheFamilyDetectsReuseToo() {
        TokenService tokens = service();
        TokenService other = service(b -> b.sessionCache(0));
        TokenPair first = tokens.issue(login("alice"));
        TokenPair next = other.refresh(refreshOf(first));

        assertThat(grantFailure(() -> other.refresh(refreshOf(first)))).isEqualTo(Reason.REUSED);
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(next)))).isEqualTo(Reason.REVOKED);
    }

    @Test
    void aReplayWithinTheGraceWindowGetsTheSameSuccessorAndTheFamilyDoesNotFork() {
        TokenService tokens = graceful(1);
        TokenPair first = tokens.issue(login("bob"));
        TokenPair next = tokens.refresh(refreshOf(first));
        clock().advance(Duration.ofSeconds(29));

        TokenPair replay = tokens.refresh(refreshOf(first));

        assertThat(replay.refreshToken()).isEqualTo(next.refreshToken());
        assertThat(replay.accessTokenId()).isNotEqualTo(next.accessTokenId());
        assertThat(stored(first.sessionId().orElseThrow()).generation()).isEqualTo(1);
        assertThat(tokens.refresh(refreshOf(next)).refreshToken()).isPresent().isNotEqualTo(next.refreshToken());
    }

    @Test
    void aReplayAtExactlyTheEndOfTheGraceWindowIsReuse() {
        TokenService tokens = graceful(1);
        TokenPair first = tokens.issue(login("bob"));
        tokens.refresh(refreshOf(first));

        clock().advance(Records.GRACE);

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(first)))).isEqualTo(Reason.REUSED);
    }

    @Test
    void aReplayBeyondTheAllowedUsesIsReuse() {
        TokenService tokens = graceful(2);
        TokenPair first = tokens.issue(login("bob"));
        TokenPair next = tokens.refresh(refreshOf(first));

        assertThat(tokens.refresh(refreshOf(first)).refreshToken()).isEqualTo(next.refreshToken());
        assertThat(tokens.refresh(refreshOf(first)).refreshToken()).isEqualTo(next.refreshToken());
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(first)))).isEqualTo(Reason.REUSED);
    }

    @Test
    void aReplayAfterTheSuccessorWasUsedIsReuse() {
        TokenService tokens = graceful(5);
        TokenPair first = tokens.issue(login("bob"));
        TokenPair second = tokens.refresh(refreshOf(first));
        tokens.refresh(refreshOf(second));

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(first)))).isEqualTo(Reason.REUSED);
    }

    @Test
    void anotherClientCannotUseOrConsumeTheToken() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("kate"));

        assertThat(grantFailure(() -> tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow())
                .client("mobile").build()))).isEqualTo(Reason.CLIENT_MISMATCH);

        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
    }

    @Test
    void aWiderScopeIsRefusedWithoutConsumingTheToken() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("kate"));

        assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow())
                .client("web").scopes("openid", "admin").build())).isInstanceOf(InvalidScopeException.class);

        TokenPair narrower = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web")
                .scopes("openid").build());
        assertThat(narrower.scopes()).containsExactly("openid");
        assertThat(tokens.refresh(refreshOf(narrower)).scopes()).containsExactly("openid", "profile", "email");
    }

    @Test
    void aStoreFailureDuringRotationConsumesNothing() {
        TokenStore failing = new ForwardingTokenStore(store()) {
            private boolean failed;

            @Override
            public synchronized StepResult rotate(Rotation rotation) {
                if (!failed) {
                    failed = true;
                    throw new TokenStoreException("simulated store failure", null);
                }
                return super.rotate(rotation);
            }
        };
        TokenService tokens = service(failing, b -> { });
        TokenPair pair = tokens.issue(login("kate"));

        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair))).isInstanceOf(TokenStoreException.class);

        assertThat(stored(pair.sessionId().orElseThrow()).generation()).isZero();
        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
    }

    @Test
    void truncatedOrAlteredTokensAreMalformedAndConsumeNothing() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("kate"));
        String token = pair.refreshToken().orElseThrow();
        String truncated = token.substring(0, token.length() - 1);
        char last = token.charAt(token.length() - 7);
        String flipped = token.substring(0, token.length() - 7) + (last == 'a' ? 'b' : 'a')
                + token.substring(token.length() - 6);

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(truncated)))).isEqualTo(Reason.MALFORMED);
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(flipped)))).isEqualTo(Reason.MALFORMED);
        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
    }

    @Test
    void aTokenOfAFamilyTheStoreDoesNotHoldIsUnknown() {
        TokenStore forgetful = new ForwardingTokenStore(store()) {
            @Override
            public void createFamily(FamilyRecord first) {
                // Loses the family, as a store restored from an older backup would.
            }
        };
        TokenPair lost = service(forgetful, b -> b.sessionCache(0)).issue(login("kate"));

        assertThat(grantFailure(() -> service().refresh(refreshOf(lost)))).isEqualTo(Reason.UNKNOWN);
    }
}
