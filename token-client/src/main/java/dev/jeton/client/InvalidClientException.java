package dev.jeton.client;

/**
 * {@code invalid_client} (RFC 6749 §5.2). Client authentication failed: the client id, secret or authentication
 * method does not match what the server has registered. Retrying will not help.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class InvalidClientException extends OAuthErrorException {

    private static final long serialVersionUID = 1L;

    InvalidClientException(String errorCode, String description, String errorUri, int httpStatus) {
        super(errorCode, description, errorUri, httpStatus);
    }
}
