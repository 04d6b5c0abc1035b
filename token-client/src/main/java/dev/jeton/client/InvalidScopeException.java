package dev.jeton.client;

/**
 * {@code invalid_scope} (RFC 6749 §5.2). The requested scope is invalid, unknown, or wider than what was granted.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class InvalidScopeException extends OAuthErrorException {

    private static final long serialVersionUID = 1L;

    InvalidScopeException(String errorCode, String description, String errorUri, int httpStatus) {
        super(errorCode, description, errorUri, httpStatus);
    }
}
