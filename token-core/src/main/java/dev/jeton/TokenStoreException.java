package dev.jeton;

/**
 * The token store failed (a database down, a connection lost, contention that retries did not resolve). OAuth
 * {@code server_error}, HTTP 500. Retryable. Nothing was changed, and the refresh token presented is still usable,
 * unless {@link #outcomeUnknown()}: then the store could not tell whether the operation took effect (the database
 * may have committed it, but its answer was lost and the store could not check), and a refresh may have rotated
 * the token, so that a retry with the same token can be taken as reuse outside a grace window.
 */
public final class TokenStoreException extends TokenException {

    private static final long serialVersionUID = 1L;

    private final boolean outcomeUnknown;

    /**
     * A failure that changed nothing, found by the store itself (no underlying exception).
     *
     * @param message what failed; never a token or a credential
     */
    public TokenStoreException(String message) {
        this(message, null, false);
    }

    /**
     * A failure that changed nothing.
     *
     * @param message what failed; never a token or a credential
     * @param cause the underlying failure
     */
    public TokenStoreException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private TokenStoreException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /**
     * A failure after which the store cannot tell whether the operation took effect: the commit's answer was lost,
     * and looking for its effect failed too.
     *
     * @param message what failed, saying that the outcome is unknown; never a token or a credential
     * @param cause the underlying failure
     */
    public static TokenStoreException withUnknownOutcome(String message, Throwable cause) {
        return new TokenStoreException(message, cause, true);
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

    /**
     * Whether the operation may have taken effect although it failed. False for every failure but a commit whose
     * answer was lost and could not be checked; when false, nothing was changed.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
