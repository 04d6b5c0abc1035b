package dev.jeton.testing;

import dev.jeton.AccessTokenValidator;
import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTokenException;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenException;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import java.util.Objects;
import java.util.function.Function;

/**
 * Assertions for applications' tests: that an access token is valid, expired or revoked, and that a refresh is refused
 * for a given reason. A failed assertion throws a plain {@link AssertionError}, so any test framework reports it; its
 * message says what was expected and what happened, and names a token only by its {@code jti} or session id, never by
 * its text. Where Jeton refused a token, the {@link TokenException} is the error's cause.
 *
 * <pre>{@code
 * tokens.revoke(pair.accessToken());
 * TokenAssertions.assertRevoked(tokens, pair.accessToken());
 * }</pre>
 */
public final class TokenAssertions {

    private TokenAssertions() {
    }

    /**
     * Asserts that {@code tokens} accepts the access token.
     *
     * @return the verified token, for further checks
     * @throws AssertionError if it is refused
     */
    public static VerifiedAccessToken assertValid(TokenService tokens, String accessToken) {
        return valid(Objects.requireNonNull(tokens, "tokens")::validate, accessToken);
    }

    /**
     * Asserts that {@code validator} accepts the access token.
     *
     * @return the verified token, for further checks
     * @throws AssertionError if it is refused
     */
    public static VerifiedAccessToken assertValid(AccessTokenValidator validator, String accessToken) {
        return valid(Objects.requireNonNull(validator, "validator")::validate, accessToken);
    }

    /**
     * Asserts that {@code tokens} refuses the access token as {@link InvalidTokenException.Reason#EXPIRED EXPIRED}.
     *
     * @throws AssertionError if it is accepted, or refused for another reason
     */
    public static void assertExpired(TokenService tokens, String accessToken) {
        refused(Objects.requireNonNull(tokens, "tokens")::validate, accessToken, InvalidTokenException.Reason.EXPIRED);
    }

    /**
     * Asserts that {@code validator} refuses the access token as {@link InvalidTokenException.Reason#EXPIRED EXPIRED}.
     *
     * @throws AssertionError if it is accepted, or refused for another reason
     */
    public static void assertExpired(AccessTokenValidator validator, String accessToken) {
        refused(Objects.requireNonNull(validator, "validator")::validate, accessToken,
                InvalidTokenException.Reason.EXPIRED);
    }

    /**
     * Asserts that {@code tokens} refuses the access token as {@link InvalidTokenException.Reason#REVOKED REVOKED}:
     * its {@code jti} or its session was revoked. The service needs revocation-aware validation, as
     * {@link TestServices#tokenService} has.
     *
     * @throws AssertionError if it is accepted, or refused for another reason
     */
    public static void assertRevoked(TokenService tokens, String accessToken) {
        refused(Objects.requireNonNull(tokens, "tokens")::validate, accessToken, InvalidTokenException.Reason.REVOKED);
    }

    /**
     * Asserts that {@code tokens} refuses the refresh as {@code reason}, for example
     * {@link InvalidGrantException.Reason#REVOKED REVOKED} after a logout or
     * {@link InvalidGrantException.Reason#REUSED REUSED} for a replayed token. The assertion refreshes: if the refresh
     * succeeds, the presented token has been rotated (or, in REUSE mode, its idle expiry slid) before the assertion
     * fails.
     *
     * @throws AssertionError if the refresh succeeds, or fails for another reason
     */
    public static void assertRefreshRefused(TokenService tokens, RefreshRequest request,
                                            InvalidGrantException.Reason reason) {
        Objects.requireNonNull(tokens, "tokens");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(reason, "reason");
        String expected = "expected the refresh to be refused as " + reason;
        TokenPair next;
        try {
            next = tokens.refresh(request);
        } catch (InvalidGrantException e) {
            if (e.reason() == reason) {
                return;
            }
            throw refusedAs(expected, e.reason(), e);
        } catch (TokenException e) {
            throw new AssertionError(expected + ", but it failed with " + e.getClass().getSimpleName() + " ("
                    + e.getMessage() + ")", e);
        }
        throw new AssertionError(expected + ", but it succeeded"
                + next.sessionId().map(id -> " in session " + id).orElse(""));
    }

    private static VerifiedAccessToken valid(Function<String, VerifiedAccessToken> validate, String accessToken) {
        Objects.requireNonNull(accessToken, "accessToken");
        try {
            return validate.apply(accessToken);
        } catch (InvalidTokenException e) {
            throw refusedAs("expected a valid access token", e.reason(), e);
        }
    }

    private static void refused(Function<String, VerifiedAccessToken> validate, String accessToken,
                                InvalidTokenException.Reason reason) {
        Objects.requireNonNull(accessToken, "accessToken");
        String expected = "expected an access token refused as " + reason;
        VerifiedAccessToken verified;
        try {
            verified = validate.apply(accessToken);
        } catch (InvalidTokenException e) {
            if (e.reason() == reason) {
                return;
            }
            throw refusedAs(expected, e.reason(), e);
        }
        throw new AssertionError(expected + ", but it is valid: jti " + verified.jti() + ", subject "
                + verified.subject() + ", expires at " + verified.expiresAt());
    }

    /** "{@code expected}, but it was refused as {@code reason} (its message)", with the refusal as the cause. */
    private static AssertionError refusedAs(String expected, Enum<?> reason, TokenException refusal) {
        return new AssertionError(expected + ", but it was refused as " + reason + " (" + refusal.getMessage() + ")",
                refusal);
    }
}
