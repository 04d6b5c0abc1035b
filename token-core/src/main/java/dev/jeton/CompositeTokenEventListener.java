package dev.jeton;

import dev.jeton.internal.Events;
import java.util.List;

/** {@link TokenEventListener#composite}: each listener in turn, each one's failure logged and contained. */
record CompositeTokenEventListener(List<TokenEventListener> listeners) implements TokenEventListener {

    @Override
    public void onEvent(TokenEvent event) {
        for (TokenEventListener listener : listeners) {
            Events.publish(listener, event);
        }
    }
}
