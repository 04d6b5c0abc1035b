package dev.jeton;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a token, for audit logs and metrics. Events identify tokens by {@code jti} or session
 * id ({@code sid}) only; they never carry a token, a key or a secret.
 */
public sealed interface TokenEvent permits TokenEvent.Issued, TokenEvent.Refreshed, TokenEvent.ReuseDetected,
        TokenEvent.Revoked, TokenEvent.AccessTokenRevoked, TokenEvent.ValidationFailed, TokenEvent.Validated,
        TokenEvent.RefreshFailed, TokenEvent.JwksFetched {

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

    /**
     * An access token passed validation. Sent only when a listener is set, so validation without one pays nothing.
     *
     * @param at when
     * @param jti the access token's id
     * @param clientId its {@code client_id}
     */
    record Validated(Instant at, String jti, String clientId) implements TokenEvent {
        public Validated {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(clientId, "clientId");
        }
    }

    /**
     * A refresh failed; the presented token was not consumed unless {@code reason} is {@code REUSED} (its family is
     * now revoked, and a {@link ReuseDetected} came first) or the store could not tell.
     *
     * @param at when
     * @param error the OAuth error answered, e.g. {@code invalid_grant}, {@code invalid_scope}, {@code server_error}
     * @param reason for {@code invalid_grant}, why
     */
    record RefreshFailed(Instant at, String error, Optional<InvalidGrantException.Reason> reason)
            implements TokenEvent {
        public RefreshFailed {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A {@link dev.jeton.key.RemoteJwksKeyProvider} fetched its JWK set, or tried to.
     *
     * @param at when the fetch started, by the provider's clock
     * @param location the JWKS URL as logged (scheme, host, port and path)
     * @param succeeded whether usable keys came back; if not, the keys of the last good fetch stay in use
     * @param keys how many usable keys came back (0 when it failed)
     * @param elapsed how long the fetch took, measured on the JVM's monotonic clock
     */
    record JwksFetched(Instant at, String location, boolean succeeded, int keys, java.time.Duration elapsed)
            implements TokenEvent {
        public JwksFetched {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(elapsed, "elapsed");
            if (keys < 0 || (!succeeded && keys != 0)) {
                throw new IllegalArgumentException("keys must be 0 for a failed fetch and not negative, got " + keys);
            }
        }
    }
}
