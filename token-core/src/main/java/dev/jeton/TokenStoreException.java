package dev.jeton;

/**
 * The token store failed (a database down, a connection lost, contention that retries did not resolve). OAuth
 * {@code server_error}, HTTP 500. Retryable: nothing was changed, and the refresh token presented is still usable.
 */
public final class TokenStoreException extends TokenException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed; never a token or a credential
     * @param cause the underlying failure
     */
    public TokenStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String oauthError() {
        return "server_error";
    }

    @Override
    public int httpStatus() {
        return 500;
    }

    @Override
    public String description() {
        return "The server could not complete the request; try again";
    }

    /** Always true: the operation changed nothing and may be retried. */
    public boolean retryable() {
        return true;
    }
}
