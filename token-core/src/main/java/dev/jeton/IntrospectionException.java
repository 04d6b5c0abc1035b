package dev.jeton;

/**
 * A resource server could not learn whether an access token was revoked, because the authorization server's
 * introspection endpoint (RFC 7662) did not answer usefully and its {@link IntrospectionClient} fails closed. The
 * token was neither accepted nor refused: answer 503 and let the client retry, never 200. OAuth
 * {@code temporarily_unavailable}, HTTP 503.
 */
public final class IntrospectionException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** @param detail what failed (a status, a timeout); must not contain a token or a credential */
    public IntrospectionException(String detail) {
        super(detail, null);
    }

    @Override
    public String oauthError() {
        return "temporarily_unavailable";
    }

    @Override
    public int httpStatus() {
        return 503;
    }

    @Override
    public String description() {
        return "The token could not be checked for revocation; try again shortly";
    }
}
