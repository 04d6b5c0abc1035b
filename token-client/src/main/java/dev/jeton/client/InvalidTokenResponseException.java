package dev.jeton.client;

/**
 * The server answered, but not with an RFC 6749 §5.1 token response or §5.2 error response: the body is not a JSON
 * object, a required member is missing or has the wrong type, a member is repeated, the body exceeds the configured
 * size limit, or the status is unexpected. Not retryable.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class InvalidTokenResponseException extends TokenClientException {

    private static final long serialVersionUID = 1L;

    InvalidTokenResponseException(String message, Throwable cause) {
        super(message, cause);
    }
}
