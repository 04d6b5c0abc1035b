package dev.jeton.internal;

import dev.jeton.TokenEvent;
import dev.jeton.TokenEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Delivers events so that a failing listener never fails the operation. Not part of Jeton's API. */
public final class Events {

    private static final Logger LOG = LoggerFactory.getLogger(Events.class);

    private Events() {
    }

    public static void publish(TokenEventListener listener, TokenEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("token event listener {} failed on {}", listener.getClass().getName(),
                    event.getClass().getSimpleName(), e);
        }
    }
}
