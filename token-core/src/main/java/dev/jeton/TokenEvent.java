package dev.jeton;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a token, for audit logs and metrics. Events identify tokens by {@code jti} or session
 * id ({@code sid}) only; they never carry a token, a key or a secret.
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
     * @param sessionId the session ({@code sid}) it belongs to, if any
     */
    record Issued(Instant at, String jti, String subject, String clientId, Optional<String> sessionId)
            implements TokenEvent {
        public Issued {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(sessionId, "sessionId");
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
     * @param sessionId the session ({@code sid})
     * @param jti the new access token's id
     * @param graceReplay whether the grace window returned the already-issued successor instead of rotating
     */
    record Refreshed(Instant at, String sessionId, String jti, boolean graceReplay) implements TokenEvent {
        public Refreshed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(jti, "jti");
        }
    }

    /**
     * A rotated refresh token was presented again, and its session was revoked: the token may have been stolen.
     *
     * @param at when
     * @param sessionId the session, now revoked
     * @param subject the session's subject
     * @param clientId the session's client
     */
    record ReuseDetected(Instant at, String sessionId, String subject, String clientId) implements TokenEvent {
        public ReuseDetected {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * A session (a login, with its refresh token) was revoked.
     *
     * @param at when
     * @param sessionId the session
     * @param subject its subject
     * @param reason why
     */
    record Revoked(Instant at, String sessionId, String subject, RevocationReason reason) implements TokenEvent {
        public Revoked {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(sessionId, "sessionId");
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
