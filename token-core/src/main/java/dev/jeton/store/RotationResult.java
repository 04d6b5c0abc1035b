package dev.jeton.store;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an atomic step on a presented refresh token ({@link TokenStore#rotate}, {@link TokenStore#slide}):
 * either the step was applied, or it was not and {@link #current()} is the token and family as they stood, read under
 * the same serialisation as the step, for Jeton to classify (reuse, expiry, revocation).
 *
 * @param applied whether the step changed the store
 * @param current when applied, what the step wrote ({@link TokenStore#rotate}: the successor; {@link TokenStore#slide}:
 *     the slid token) with its family; when refused, the presented token and its family as they stood; empty only
 *     when the token is not in the store (it was purged in between)
 */
public record RotationResult(boolean applied, Optional<StoredToken> current) {

    /** Checks that an applied step carries the state it produced. */
    public RotationResult {
        Objects.requireNonNull(current, "current");
        if (applied && current.isEmpty()) {
            throw new IllegalArgumentException("an applied step must return the state it produced");
        }
    }

    /** The step was applied; {@code after} is what it wrote, with its family. */
    public static RotationResult applied(StoredToken after) {
        return new RotationResult(true, Optional.of(after));
    }

    /** The step was not applied; {@code current} is how things stood, read under the family's serialisation. */
    public static RotationResult refused(Optional<StoredToken> current) {
        return new RotationResult(false, current);
    }
}
