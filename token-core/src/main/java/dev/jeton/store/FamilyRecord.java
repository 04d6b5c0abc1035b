package dev.jeton.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one record a store keeps per family, whatever the number of refreshes: the family, its current generation and
 * the hash of its current token, the current token's idle expiry, the grace window of the last rotation if there is
 * one, and the revocation. Holds no usable token. Immutable.
 *
 * @param family what the family is
 * @param generation the current generation: 0 at login, one more at each rotation
 * @param currentHash the hash of the current token (SHA-256 or HMAC-SHA-256, base64url, 43 characters)
 * @param idleExpiresAt when the current token expires unless used, never after the family's absolute expiry
 * @param grace the grace window of the last rotation, while it may matter
 * @param revocation the revocation, once revoked
 */
public record FamilyRecord(RefreshFamily family, long generation, String currentHash, Instant idleExpiresAt,
                           Optional<GraceWindow> grace, Optional<Revocation> revocation) {

    /** Checks the components. */
    public FamilyRecord {
        Objects.requireNonNull(family, "family");
        if (generation < 0) {
            throw new IllegalArgumentException("generation must not be negative");
        }
        Objects.requireNonNull(currentHash, "currentHash");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(revocation, "revocation");
    }

    /** A new family at generation 0, with its first token's hash and idle expiry. */
    public static FamilyRecord first(RefreshFamily family, String firstHash, Instant idleExpiresAt) {
        return new FamilyRecord(family, 0, firstHash, idleExpiresAt, Optional.empty(), Optional.empty());
    }

    /**
     * Checks that this record can start a family, as {@link TokenStore#createFamily} takes it: generation 0, without a
     * grace window or a revocation.
     *
     * @return this record
     * @throws IllegalArgumentException if it cannot
     */
    public FamilyRecord requireNew() {
        if (generation != 0 || grace.isPresent() || revocation.isPresent()) {
            throw new IllegalArgumentException("a new family starts at generation 0, without grace or revocation");
        }
        return this;
    }

    /** The family's id. */
    public String id() {
        return family.id();
    }

    /** Whether the family was revoked. */
    public boolean isRevoked() {
        return revocation.isPresent();
    }

    /** Neither revoked nor past its absolute expiry at {@code now}. */
    public boolean isLiveAt(Instant now) {
        return revocation.isEmpty() && !family.isExpiredAt(now);
    }

    /** Live, and its current token not idle-expired, at {@code now}: the current token can be used. */
    public boolean isUsableAt(Instant now) {
        return isLiveAt(now) && now.isBefore(idleExpiresAt);
    }

    /**
     * The conditions of a rotation or a slide: usable at {@code now}, at {@code generation}, with {@code hash} as its
     * current token. A store applies the step if and only if this holds at that moment.
     */
    public boolean acceptsCurrent(long generation, String hash, Instant now) {
        return this.generation == generation && currentHash.equals(hash) && isUsableAt(now);
    }

    /**
     * The conditions of a grace claim: usable at {@code now}, and {@code previousHash} is the previous token of a
     * grace window that is open at {@code now} with fewer than {@code maxUses} uses.
     */
    public boolean acceptsGraceClaim(String previousHash, int maxUses, Instant now) {
        return isUsableAt(now) && grace.isPresent() && grace.get().previousHash().equals(previousHash)
                && now.isBefore(grace.get().until()) && grace.get().uses() < maxUses;
    }

    /** This record after {@code rotation}. */
    public FamilyRecord rotated(Rotation rotation) {
        return new FamilyRecord(family, generation + 1, rotation.successorHash(), rotation.successorIdleExpiresAt(),
                rotation.grace(), revocation);
    }

    /** This record with one more use of its grace window. */
    public FamilyRecord graceUsed() {
        return new FamilyRecord(family, generation, currentHash, idleExpiresAt, grace.map(GraceWindow::used),
                revocation);
    }

    /** This record with the current token's idle expiry moved ({@code REUSE} mode). */
    public FamilyRecord slid(Instant newIdleExpiresAt) {
        return new FamilyRecord(family, generation, currentHash, newIdleExpiresAt, grace, revocation);
    }

    /** This record revoked (a first revocation is kept), its grace window dropped. */
    public FamilyRecord revoked(Revocation revocation) {
        return new FamilyRecord(family, generation, currentHash, idleExpiresAt, Optional.empty(),
                this.revocation.isPresent() ? this.revocation : Optional.of(revocation));
    }

    /** This record without its grace window (it has passed). */
    public FamilyRecord withoutGrace() {
        return new FamilyRecord(family, generation, currentHash, idleExpiresAt, Optional.empty(), revocation);
    }

    @Override
    public String toString() {
        return "FamilyRecord[" + family.id() + ", generation " + generation + ", idleExpiresAt=" + idleExpiresAt
                + grace.map(g -> ", grace until " + g.until()).orElse("")
                + revocation.map(r -> ", revoked " + r.reason()).orElse("") + "]";
    }
}
