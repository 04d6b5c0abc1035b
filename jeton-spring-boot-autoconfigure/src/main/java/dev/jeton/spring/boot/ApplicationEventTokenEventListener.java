package dev.jeton.spring.boot;

import dev.jeton.TokenEvent;
import dev.jeton.TokenEventListener;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes token events as Spring application events, so {@code @EventListener} methods receive them, e.g.
 * {@code @EventListener void onReuse(TokenEvent.ReuseDetected event)}. {@link TokenEvent.Validated}, one per
 * authenticated request, is left out: counting it is the metrics' job, and a Spring event per request costs more than
 * the validation it reports.
 */
public final class ApplicationEventTokenEventListener implements TokenEventListener {

    private final ApplicationEventPublisher publisher;

    /** Publishes through {@code publisher}. */
    public ApplicationEventTokenEventListener(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onEvent(TokenEvent event) {
        if (!(event instanceof TokenEvent.Validated)) {
            publisher.publishEvent(event);
        }
    }
}
