package dev.jeton;

import java.util.Optional;

/**
 * The root of every exception Jeton throws. Each one carries what an HTTP layer needs to answer without a mapping
 * table: the OAuth 2.0 error code, the HTTP status, and for {@code invalid_token} an RFC 6750
 * {@code WWW-Authenticate} value.
 *
 * <p>No message of a Jeton exception, nor of its causes, contains a token, a key or a secret.
 */
public abstract class TokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected TokenException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The OAuth 2.0 error code, e.g. {@code invalid_token}, {@code invalid_grant} or {@code server_error}. */
    public abstract String oauthError();

    /** The HTTP status an endpoint answers with, e.g. 400, 401 or 500. */
    public abstract int httpStatus();

    /**
     * A short description safe to send to the client as {@code error_description}: fixed text that echoes nothing
     * of the request.
     */
    public abstract String description();

    /** The RFC 6750 {@code WWW-Authenticate} header value, for errors a resource server answers with 401. */
    public Optional<String> wwwAuthenticate() {
        return Optional.empty();
    }
}
