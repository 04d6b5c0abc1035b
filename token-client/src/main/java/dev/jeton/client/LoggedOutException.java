package dev.jeton.client;

/**
 * The session has no usable tokens: it was never signed in, it was logged out, or the authorization server refused
 * its refresh token. The application has to sign the user in again. Not retryable.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class LoggedOutException extends TokenClientException {

    private static final long serialVersionUID = 1L;

    private final LogoutReason reason;

    LoggedOutException(LogoutReason reason, Throwable cause) {
        super(reason == null ? "the session is not signed in: call signIn(tokens) first"
                : "the session is logged out (" + reason + "): sign the user in again", cause);
        this.reason = reason;
    }

    /**
     * Why the session ended.
     *
     * @return the reason, or empty when the session was never signed in
     */
    public java.util.Optional<LogoutReason> reason() {
        return java.util.Optional.ofNullable(reason);
    }
}
