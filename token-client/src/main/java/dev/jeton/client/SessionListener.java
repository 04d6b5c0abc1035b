package dev.jeton.client;

/**
 * Told when an {@link AuthorizedHttpClient}'s session ends, typically to send the user to the sign-in screen.
 *
 * <p>{@link #loggedOut(LogoutReason)} is called exactly once per session end, however many requests were in flight
 * when it happened, on the thread that observed it; it must not block for long. A listener that throws is logged and
 * does not change the outcome. No callback receives a token.
 */
@FunctionalInterface
public interface SessionListener {

    /**
     * The session's tokens were cleared from storage.
     *
     * @param reason why
     */
    void loggedOut(LogoutReason reason);

    /**
     * A refresh request is about to be sent; called once per request to the token endpoint, not once per waiting
     * caller. For metrics and demonstrations; does nothing by default.
     *
     * @param trigger what made the client refresh
     */
    default void refreshing(RefreshTrigger trigger) {
    }
}
