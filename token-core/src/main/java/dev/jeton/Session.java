package dev.jeton;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A live login of a user, for a "your devices" page, with the refresh token it holds. Revoke one with
 * {@link TokenService#revokeSession(String, String)}.
 *
 * @param id the session id, also the access tokens' {@code sid}
 * @param clientId the client logged in
 * @param scopes the scopes granted
 * @param createdAt when the user logged in
 * @param expiresAt when the login ends at the latest (the absolute expiry)
 */
public record Session(String id, String clientId, Set<String> scopes, Instant createdAt, Instant expiresAt) {

    /** Checks that no component is null. */
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(clientId, "clientId");
        scopes = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopes));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
