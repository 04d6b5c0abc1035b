package dev.jeton.spring.endpoint;

import java.util.Objects;

/**
 * An OAuth 2.0 error answer of the token, revocation or introspection endpoint (RFC 6749 §5.2): the error code, a
 * description safe to show the client, and the HTTP status. A {@link GrantHandler} throws it to refuse a grant, e.g.
 * {@code throw OAuth2EndpointException.invalidGrant("The username or password is wrong")}.
 */
public final class OAuth2EndpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final int status;

    /**
     * @param error the OAuth error code, e.g. {@code invalid_grant}
     * @param description a description for the client; it must not contain a token, a secret or a password
     * @param status the HTTP status, 400 or 401 for client errors
     */
    public OAuth2EndpointException(String error, String description, int status) {
        super(Objects.requireNonNull(description, "description"));
        this.error = Objects.requireNonNull(error, "error");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an error answer has a 4xx or 5xx status, got " + status);
        }
        this.status = status;
    }

    /** {@code invalid_grant}, 400: the grant (credentials, code, token) is invalid. */
    public static OAuth2EndpointException invalidGrant(String description) {
        return new OAuth2EndpointException("invalid_grant", description, 400);
    }

    /** {@code invalid_request}, 400: a parameter is missing, repeated or malformed. */
    public static OAuth2EndpointException invalidRequest(String description) {
        return new OAuth2EndpointException("invalid_request", description, 400);
    }

    /** {@code invalid_scope}, 400. */
    public static OAuth2EndpointException invalidScope(String description) {
        return new OAuth2EndpointException("invalid_scope", description, 400);
    }

    /** The OAuth error code. */
    public String error() {
        return error;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The description sent as {@code error_description}. */
    public String description() {
        return getMessage();
    }
}
