package dev.jeton.store;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a conditional step on a family: applied, with the record as it now stands; or refused, with the record
 * as it stood when the store decided (empty if there is no such family), for Jeton to classify. Immutable.
 *
 * @param applied whether the step changed the family
 * @param record the record after the step if applied; as it stood if refused
 */
public record StepResult(boolean applied, Optional<FamilyRecord> record) {

    /** Checks that an applied step carries its record. */
    public StepResult {
        Objects.requireNonNull(record, "record");
        if (applied && record.isEmpty()) {
            throw new IllegalArgumentException("an applied step has a record");
        }
    }

    /** The step applied; {@code after} is the record now. */
    public static StepResult applied(FamilyRecord after) {
        return new StepResult(true, Optional.of(after));
    }

    /** The step was refused; {@code asItStood} is the record read under the same serialisation, if any. */
    public static StepResult refused(Optional<FamilyRecord> asItStood) {
        return new StepResult(false, asItStood);
    }
}
