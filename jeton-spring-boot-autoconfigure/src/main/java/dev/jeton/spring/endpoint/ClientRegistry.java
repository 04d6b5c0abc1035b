package dev.jeton.spring.endpoint;

import java.util.Optional;

/**
 * The clients the endpoints know. Provide a bean of this type to keep clients in a database; without one, the
 * clients of {@code jeton.clients.*} are used ({@link InMemoryClientRegistry}). Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ClientRegistry {

    /** The client with this {@code client_id}, or empty. */
    Optional<RegisteredClient> findByClientId(String clientId);
}
