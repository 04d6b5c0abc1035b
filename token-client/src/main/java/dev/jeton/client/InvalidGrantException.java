package dev.jeton.client;

/**
 * {@code invalid_grant} (RFC 6749 §5.2). The grant (authorization code, refresh token, or resource-owner
 * credentials) is invalid, expired, revoked, or was issued to another client: the user has to sign in again. An
 * {@link AuthorizedHttpClient} turns it into a logout.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class InvalidGrantException extends OAuthErrorException {

    private static final long serialVersionUID = 1L;

    InvalidGrantException(String errorCode, String description, String errorUri, int httpStatus) {
        super(errorCode, description, errorUri, httpStatus);
    }
}
