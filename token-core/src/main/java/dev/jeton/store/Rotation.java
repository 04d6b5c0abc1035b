package dev.jeton.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One rotation asked of a store: applied if and only if, at that moment, the family {@link FamilyRecord#acceptsCurrent
 * accepts} the presented token as current; then the generation goes up by one, the successor becomes current with
 * its idle expiry, and the grace window (if any) replaces the previous one. Immutable.
 *
 * @param familyId the family
 * @param presentedGeneration the generation of the presented token
 * @param presentedHash the hash of the presented token
 * @param successorHash the hash of the new current token
 * @param successorIdleExpiresAt the new token's idle expiry
 * @param grace the window in which the presented token gets the same successor again, with its sealed successor and
 *     no uses; empty when there is no grace window
 * @param now the instant of the refresh, from Jeton's clock
 */
public record Rotation(String familyId, long presentedGeneration, String presentedHash, String successorHash,
                       Instant successorIdleExpiresAt, Optional<GraceWindow> grace, Instant now) {

    /** Checks the components. */
    public Rotation {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(presentedHash, "presentedHash");
        Objects.requireNonNull(successorHash, "successorHash");
        Objects.requireNonNull(successorIdleExpiresAt, "successorIdleExpiresAt");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(now, "now");
        if (grace.isPresent() && (grace.get().uses() != 0 || !grace.get().previousHash().equals(presentedHash))) {
            throw new IllegalArgumentException("a rotation's grace window starts unused, for the presented token");
        }
    }
}
