package dev.jeton;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a token, for audit logs and metrics. Events identify tokens by {@code jti} or family
 * id only; they never carry a token, a key or a secret.
 */
public sealed interface TokenEvent permits TokenEvent.Issued, TokenEvent.Refreshed, TokenEvent.ReuseDetected,
        TokenEvent.Revoked, TokenEvent.AccessTokenRevoked, TokenEvent.ValidationFailed {

    /** When it happened, by the service's clock. */
    Instant at();

    /**
     * An access token was issued.
     *
     * @param at when
     * @param jti the access token's id
     * @param subject the {@code sub} it was issued to
     * @param clientId the {@code client_id} it was issued to
     * @param familyId the refresh family ({@code sid}) it belongs to, if any
     */
    record Issued(Instant at, String jti, String subject, String clientId, Optional<String> familyId)
            implements TokenEvent {
        public Issued {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(familyId, "familyId");
        }
    }

    /**
     * An access token was refused.
     *
     * @param at when
     * @param reason why; the event holds nothing of the token itself
     */
    record ValidationFailed(Instant at, InvalidTokenException.Reason reason) implements TokenEvent {
        public ValidationFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A refresh token was exchanged for a new pair.
     *
     * @param at when
     * @param familyId the family ({@code sid})
     * @param jti the new access token's id
     * @param graceReplay whether the grace window returned the already-issued successor instead of rotating
     */
    record Refreshed(Instant at, String familyId, String jti, boolean graceReplay) implements TokenEvent {
        public Refreshed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(familyId, "familyId");
            Objects.requireNonNull(jti, "jti");
        }
    }

    /**
     * A rotated refresh token was presented again, and its family was revoked: the token may have been stolen.
     *
     * @param at when
     * @param familyId the family, now revoked
     * @param subject the family's subject
     * @param clientId the family's client
     */
    record ReuseDetected(Instant at, String familyId, String subject, String clientId) implements TokenEvent {
        public ReuseDetected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(familyId, "familyId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * A refresh family was revoked.
     *
     * @param at when
     * @param familyId the family
     * @param subject its subject
     * @param reason why
     */
    record Revoked(Instant at, String familyId, String subject, RevocationReason reason) implements TokenEvent {
        public Revoked {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(familyId, "familyId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * An access token was revoked: its {@code jti} is denied until it expires.
     *
     * @param at when
     * @param jti the access token's id
     * @param expiresAt when the denial ends, the token's own expiry
     */
    record AccessTokenRevoked(Instant at, String jti, Instant expiresAt) implements TokenEvent {
        public AccessTokenRevoked {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }
}
