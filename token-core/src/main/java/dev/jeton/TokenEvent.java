package dev.jeton;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a token, for audit logs and metrics. Events identify tokens by {@code jti} or family
 * id only; they never carry a token, a key or a secret.
 */
public sealed interface TokenEvent permits TokenEvent.Issued, TokenEvent.ValidationFailed {

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
}
