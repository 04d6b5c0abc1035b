package dev.jeton;

/**
 * Receives {@link TokenEvent}s synchronously, on the thread that caused them. Keep it fast; hand slow work to a
 * queue. A listener that throws is logged and does not fail the operation. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface TokenEventListener {

    /** Called once per event. */
    void onEvent(TokenEvent event);

    /** A listener that ignores every event. */
    static TokenEventListener none() {
        return event -> { };
    }
}
