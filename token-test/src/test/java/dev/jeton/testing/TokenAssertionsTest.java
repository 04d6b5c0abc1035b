package dev.jeton.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TokenAssertionsTest {

    private final TestClock clock = TestClock.fixed();
    private final TokenService tokens = TestServices.tokenService(clock);
    private final TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
    private final String jti = tokens.validate(pair.accessToken()).jti();

    private RefreshRequest refreshOf(TokenPair login) {
        return RefreshRequest.of(login.refreshToken().orElseThrow()).client("web").build();
    }

    /** A token whose signature no longer matches: refused as BAD_SIGNATURE. */
    private String tampered() {
        String token = pair.accessToken();
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'Q' : 'A');
    }

    @Nested
    class Valid {

        @Test
        void returnsTheVerifiedToken() {
            assertThat(TokenAssertions.assertValid(tokens, pair.accessToken()).subject()).isEqualTo("alice");
            assertThat(TokenAssertions.assertValid(tokens.validator(), pair.accessToken()).jti()).isEqualTo(jti);
        }

        @Test
        void failsOnAnExpiredTokenNamingTheReasonNotTheToken() {
            clock.advance(Duration.ofMinutes(15));

            assertThatThrownBy(() -> TokenAssertions.assertValid(tokens, pair.accessToken()))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("expected a valid access token, but it was refused as EXPIRED")
                    .hasMessageNotContaining(pair.accessToken())
                    .cause().isInstanceOfSatisfying(InvalidTokenException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.EXPIRED));
        }
    }

    @Nested
    class Expired {

        @Test
        void passesAtTheExpiryInstant() {
            clock.advance(Duration.ofMinutes(15));

            TokenAssertions.assertExpired(tokens, pair.accessToken());
            TokenAssertions.assertExpired(tokens.validator(), pair.accessToken());
        }

        @Test
        void failsOnAValidTokenNamingItsJtiAndExpiry() {
            clock.advance(Duration.ofMinutes(15).minusSeconds(1));

            assertThatThrownBy(() -> TokenAssertions.assertExpired(tokens, pair.accessToken()))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessage("expected an access token refused as EXPIRED, but it is valid: jti " + jti
                            + ", subject alice, expires at 2030-01-01T00:15:00Z")
                    .hasMessageNotContaining(pair.accessToken());
        }

        @Test
        void failsOnATokenRefusedForAnotherReason() {
            String tampered = tampered();

            assertThatThrownBy(() -> TokenAssertions.assertExpired(tokens, tampered))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("expected an access token refused as EXPIRED, but it was refused as "
                            + "BAD_SIGNATURE")
                    .hasMessageNotContaining(tampered)
                    .hasCauseInstanceOf(InvalidTokenException.class);
        }
    }

    @Nested
    class Revoked {

        @Test
        void passesForARevokedAccessTokenAndForTheAccessTokensOfARevokedSession() {
            TokenPair other = tokens.issue(IssueRequest.forSubject("alice").client("web").build());

            tokens.revoke(pair.accessToken());
            tokens.revoke(other.refreshToken().orElseThrow());

            TokenAssertions.assertRevoked(tokens, pair.accessToken());
            TokenAssertions.assertRevoked(tokens, other.accessToken());
        }

        @Test
        void failsOnALiveToken() {
            assertThatThrownBy(() -> TokenAssertions.assertRevoked(tokens, pair.accessToken()))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("expected an access token refused as REVOKED, but it is valid: jti " + jti)
                    .hasMessageNotContaining(pair.accessToken());
        }

        @Test
        void failsOnAnExpiredTokenOfALiveSession() {
            clock.advance(Duration.ofHours(1));

            assertThatThrownBy(() -> TokenAssertions.assertRevoked(tokens, pair.accessToken()))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("expected an access token refused as REVOKED, but it was refused as EXPIRED");
        }
    }

    @Nested
    class RefreshRefused {

        @Test
        void passesForTheReasonTheServiceGives() {
            TokenPair next = tokens.refresh(refreshOf(pair));

            TokenAssertions.assertRefreshRefused(tokens, refreshOf(pair), InvalidGrantException.Reason.REUSED);
            TokenAssertions.assertRefreshRefused(tokens, refreshOf(next), InvalidGrantException.Reason.REVOKED);
        }

        @Test
        void failsWhenTheRefreshSucceedsNamingTheSession() {
            String session = pair.sessionId().orElseThrow();

            assertThatThrownBy(() -> TokenAssertions.assertRefreshRefused(tokens, refreshOf(pair),
                    InvalidGrantException.Reason.REVOKED))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessage("expected the refresh to be refused as REVOKED, but it succeeded in session " + session)
                    .hasMessageNotContaining(pair.refreshToken().orElseThrow());
        }

        @Test
        void failsWhenRefusedForAnotherReason() {
            RefreshRequest wrongClient = RefreshRequest.of(pair.refreshToken().orElseThrow()).client("mobile").build();

            assertThatThrownBy(() -> TokenAssertions.assertRefreshRefused(tokens, wrongClient,
                    InvalidGrantException.Reason.REVOKED))
                    .isExactlyInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("expected the refresh to be refused as REVOKED, but it was refused as "
                            + "CLIENT_MISMATCH")
                    .hasMessageNotContaining(pair.refreshToken().orElseThrow())
                    .hasCauseInstanceOf(InvalidGrantException.class);
        }
    }
}
