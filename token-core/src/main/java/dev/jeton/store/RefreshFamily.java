package dev.jeton.store;

import dev.jeton.RevocationReason;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One login grant: every refresh token rotated from one {@code issue} belongs to it. Its id is the access tokens'
 * {@code sid}. Immutable.
 *
 * @param id random, unguessable id (also {@code sid})
 * @param subject the user ({@code sub})
 * @param clientId the client the grant belongs to
 * @param scopes the scopes granted at issue; a refresh may narrow, never widen them
 * @param claims the request's extra claims, replayed into each access token minted from this family
 * @param createdAt when the grant was issued
 * @param expiresAt the absolute expiry: created plus the maximum lifetime, never extended
 * @param revokedAt when it was revoked, if it was
 * @param revocationReason why it was revoked, if it was
 */
public record RefreshFamily(String id, String subject, String clientId, Set<String> scopes,
                            Map<String, Object> claims, Instant createdAt, Instant expiresAt,
                            Optional<Instant> revokedAt, Optional<RevocationReason> revocationReason) {

    /** Checks that no component is null and copies the collections. */
    public RefreshFamily {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
        claims = claims.isEmpty() ? Map.of() : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claims));
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(revokedAt, "revokedAt");
        Objects.requireNonNull(revocationReason, "revocationReason");
        if (revokedAt.isPresent() != revocationReason.isPresent()) {
            throw new IllegalArgumentException("revokedAt and revocationReason go together");
        }
    }

    /** Whether the family was revoked. */
    public boolean isRevoked() {
        return revokedAt.isPresent();
    }

    /** Whether {@code now} is at or after the absolute expiry. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Neither revoked nor past its absolute expiry. */
    public boolean isLiveAt(Instant now) {
        return !isRevoked() && !isExpiredAt(now);
    }

    /** This family, revoked at {@code at} for {@code reason}. */
    public RefreshFamily revoked(Instant at, RevocationReason reason) {
        return new RefreshFamily(id, subject, clientId, scopes, claims, createdAt, expiresAt, Optional.of(at),
                Optional.of(reason));
    }
}
