package dev.jeton.spring.endpoint;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A fixed set of clients, e.g. from {@code jeton.clients.*}. Immutable and thread-safe. */
public final class InMemoryClientRegistry implements ClientRegistry {

    private final Map<String, RegisteredClient> clients;

    /**
     * Holds {@code clients}.
     *
     * @throws IllegalArgumentException if two share a client id
     */
    public InMemoryClientRegistry(Collection<RegisteredClient> clients) {
        Map<String, RegisteredClient> byId = new LinkedHashMap<>();
        for (RegisteredClient client : clients) {
            if (byId.putIfAbsent(client.clientId(), client) != null) {
                throw new IllegalArgumentException("two clients have client_id " + client.clientId());
            }
        }
        this.clients = Map.copyOf(byId);
    }

    @Override
    public Optional<RegisteredClient> findByClientId(String clientId) {
        return Optional.ofNullable(clients.get(clientId));
    }
}
