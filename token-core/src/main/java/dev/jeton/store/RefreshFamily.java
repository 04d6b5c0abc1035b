package dev.jeton.store;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a family (one login grant, shown to users as a session) is, fixed at login and never changed: who, which
 * client, what was granted, and its lifetime. Immutable.
 *
 * @param id the family's public id: the session id ({@code sid}) in its access tokens, 22 base64url characters
 * @param subject the user
 * @param clientId the client the family was issued to
 * @param scopes the granted scopes, in order
 * @param claimsJson the login's extra claims as a JSON object, written and read by Jeton's core only: a store keeps
 *     the text exactly and never parses it
 * @param createdAt the login
 * @param expiresAt the absolute expiry, never extended
 */
public record RefreshFamily(String id, String subject, String clientId, Set<String> scopes, String claimsJson,
                            Instant createdAt, Instant expiresAt) {

    /** Checks that no component is null and copies the scopes. */
    public RefreshFamily {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
        Objects.requireNonNull(claimsJson, "claimsJson");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether {@code now} is at or after the absolute expiry. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
