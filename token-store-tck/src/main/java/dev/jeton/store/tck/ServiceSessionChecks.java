package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RevocationReason;
import dev.jeton.Session;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.store.Revocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Through a {@link TokenService} on the store: revoking a token, a session or a subject, the sessions list,
 * revocation-aware validation, and purging.
 */
abstract class ServiceSessionChecks extends ContractGroup {

    ServiceSessionChecks(TokenStoreContract contract) {
        super(contract);
    }

    private static void assertRevoked(TokenService tokens, TokenPair pair) {
        assertThatThrownBy(() -> tokens.validate(pair.accessToken()))
                .isInstanceOfSatisfying(InvalidTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
    }

    @Test
    void revokingARefreshTokenRevokesItsFamilyAndItsAccessTokens() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("carol"));
        TokenPair next = tokens.refresh(refreshOf(pair));

        tokens.revoke(next.refreshToken().orElseThrow());

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(next)))).isEqualTo(Reason.REVOKED);
        assertRevoked(tokens, next);
        assertThat(store().revocationStatus(next.sessionId(), next.accessTokenId(), now()).sessionRevoked()).isTrue();
        assertThat(stored(pair.sessionId().orElseThrow()).revocation().map(Revocation::reason))
                .contains(RevocationReason.LOGOUT);
    }

    @Test
    void revokeAllRevokesEveryLiveFamilyOfExactlyTheSubject() {
        TokenService tokens = service();
        TokenPair phone = tokens.issue(login("dave"));
        TokenPair laptop = tokens.issue(login("dave"));
        TokenPair other = tokens.issue(login("erin"));
        TokenPair lookalike = tokens.issue(login("Dave"));

        assertThat(tokens.revokeAll("dave")).isEqualTo(2);

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(phone)))).isEqualTo(Reason.REVOKED);
        assertThat(grantFailure(() -> tokens.refresh(refreshOf(laptop)))).isEqualTo(Reason.REVOKED);
        assertThat(tokens.refresh(refreshOf(other)).refreshToken()).isPresent();
        assertThat(tokens.refresh(refreshOf(lookalike)).refreshToken()).isPresent();
        assertThat(tokens.sessions("dave")).isEmpty();
        assertThat(tokens.sessions("erin")).hasSize(1);
        assertThat(stored(phone.sessionId().orElseThrow()).revocation().map(Revocation::reason))
                .contains(RevocationReason.LOGOUT_ALL);
    }

    @Test
    void sessionsListLiveFamiliesOldestFirstAndOneIsRevokedOnlyForItsSubject() {
        TokenService tokens = service();
        TokenPair phone = tokens.issue(login("dave"));
        clock().advance(Duration.ofSeconds(1));
        TokenPair laptop = tokens.issue(IssueRequest.forSubject("dave").client("cli").scopes("openid").build());

        assertThat(tokens.sessions("dave")).containsExactly(
                new Session(phone.sessionId().orElseThrow(), "web", phone.scopes(), now().minusSeconds(1),
                        now().minusSeconds(1).plus(Duration.ofHours(10))),
                new Session(laptop.sessionId().orElseThrow(), "cli", laptop.scopes(), now(),
                        now().plus(Duration.ofHours(10))));
        assertThat(tokens.revokeSession("mallory", phone.sessionId().orElseThrow())).isFalse();
        assertThat(tokens.revokeSession("dave", phone.sessionId().orElseThrow())).isTrue();

        assertThat(tokens.sessions("dave")).extracting(Session::id).containsExactly(laptop.sessionId().orElseThrow());
        assertThat(stored(phone.sessionId().orElseThrow()).revocation().map(Revocation::reason))
                .contains(RevocationReason.SESSION_REVOKED);
        assertRevoked(tokens, phone);
    }

    @Test
    void revokingAnAccessTokenDeniesItsJtiUntilItExpiresAndLeavesTheSessionAlone() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("frank"));

        tokens.revoke(pair.accessToken());

        assertRevoked(tokens, pair);
        assertThat(store().revocationStatus(Optional.empty(), pair.accessTokenId(), now()).accessTokenRevoked())
                .isTrue();
        assertThat(store().revocationStatus(Optional.empty(), pair.accessTokenId(), pair.expiresAt())
                .accessTokenRevoked()).isFalse();
        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
    }

    @Test
    void familiesPastTheirAbsoluteExpiryArePurgedAndTheirTokensBecomeUnknown() {
        TokenService tokens = service();
        List<TokenPair> pairs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            pairs.add(tokens.refresh(refreshOf(tokens.issue(login("liam-" + i)))));
        }
        clock().advance(Duration.ofHours(10));

        assertThat(tokens.purgeExpired()).isEqualTo(10);

        for (TokenPair pair : pairs) {
            assertThat(store().findFamily(pair.sessionId().orElseThrow())).isEmpty();
            assertThat(grantFailure(() -> tokens.refresh(refreshOf(pair)))).isEqualTo(Reason.UNKNOWN);
        }
    }

    @Test
    void aPurgeKeepsEverythingThatStillDetectsReuse() {
        TokenService tokens = service(b -> b.reuseGrace(Records.GRACE));
        TokenPair first = tokens.issue(login("mia"));
        TokenPair next = first;
        for (int i = 0; i < 3; i++) {
            clock().advance(Duration.ofMinutes(50));
            next = tokens.refresh(refreshOf(next));
        }
        clock().advance(Duration.ofMinutes(1));

        tokens.purgeExpired();

        assertThat(grantFailure(() -> tokens.refresh(refreshOf(first)))).isEqualTo(Reason.REUSED);
    }

    @Test
    void accessTokenDenialsArePurgedOnceTheTokenHasExpired() {
        TokenService tokens = service();
        TokenPair pair = tokens.issue(login("nora"));
        tokens.revoke(pair.accessToken());

        clock().set(pair.expiresAt());

        assertThat(tokens.purgeExpired()).isEqualTo(1);
        assertThat(store().revocationStatus(Optional.empty(), pair.accessTokenId(), pair.expiresAt().minusSeconds(1))
                .accessTokenRevoked()).isFalse();
    }
}
