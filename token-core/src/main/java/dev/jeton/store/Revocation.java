package dev.jeton.store;

import dev.jeton.RevocationReason;
import java.time.Instant;
import java.util.Objects;

/**
 * When and why a family was revoked. The first revocation is kept. Immutable.
 *
 * @param at the instant of the revocation
 * @param reason why
 */
public record Revocation(Instant at, RevocationReason reason) {

    /** Checks the components. */
    public Revocation {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(reason, "reason");
    }
}
