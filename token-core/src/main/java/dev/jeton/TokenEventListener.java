package dev.jeton;

import java.util.List;

/**
 * Receives {@link TokenEvent}s synchronously, on the thread that caused them. Keep it fast; hand slow work to a
 * queue. A listener that throws is logged and does not fail the operation. Implementations must be thread-safe.
 *
 * <p>A service takes one listener; to send events to several (an audit log and metrics, say), give it a
 * {@link #composite composite}.
 */
@FunctionalInterface
public interface TokenEventListener {

    /** Called once per event. */
    void onEvent(TokenEvent event);

    /** A listener that ignores every event. */
    static TokenEventListener none() {
        return event -> { };
    }

    /**
     * A listener that hands each event to every one of {@code listeners}, in order. A listener that throws is logged
     * and the others still receive the event.
     *
     * @throws NullPointerException if {@code listeners} or one of them is null
     */
    static TokenEventListener composite(TokenEventListener... listeners) {
        return composite(List.of(listeners));
    }

    /**
     * A listener that hands each event to every one of {@code listeners}, in order. A listener that throws is logged
     * and the others still receive the event. The list is copied.
     *
     * @throws NullPointerException if {@code listeners} or one of them is null
     */
    static TokenEventListener composite(List<? extends TokenEventListener> listeners) {
        return new CompositeTokenEventListener(List.copyOf(listeners));
    }
}
