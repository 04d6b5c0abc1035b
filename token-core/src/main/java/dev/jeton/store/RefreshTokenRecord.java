package dev.jeton.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One stored refresh token. It holds no usable token: only the token's hash, and during a grace window the
 * successor sealed under a key that only the holder of this token can derive. Immutable.
 *
 * @param hash SHA-256 (or HMAC-SHA-256 with a pepper) of the token, base64url, 43 characters
 * @param familyId the family it belongs to
 * @param parentHash the hash of the token it was rotated from; empty for the first token of a family
 * @param state its state
 * @param issuedAt when it was issued
 * @param idleExpiresAt when it expires unless used: issued plus the idle lifetime, capped by the family's absolute
 *     expiry
 * @param rotatedAt when it was rotated, once {@link TokenState#ROTATED}
 * @param successorHash the hash of the token that replaced it, once rotated
 * @param sealedSuccessor the successor token sealed for the grace window (AES-GCM, base64url); empty outside it
 * @param graceUntil the end of the grace window, if there is one
 * @param graceUses how many times the grace window returned the successor
 */
public record RefreshTokenRecord(String hash, String familyId, Optional<String> parentHash, TokenState state,
                                 Instant issuedAt, Instant idleExpiresAt, Optional<Instant> rotatedAt,
                                 Optional<String> successorHash, Optional<String> sealedSuccessor,
                                 Optional<Instant> graceUntil, int graceUses) {

    /** Checks that no component is null. */
    public RefreshTokenRecord {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(parentHash, "parentHash");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(idleExpiresAt, "idleExpiresAt");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
        Objects.requireNonNull(successorHash, "successorHash");
        Objects.requireNonNull(sealedSuccessor, "sealedSuccessor");
        Objects.requireNonNull(graceUntil, "graceUntil");
        if (graceUses < 0) {
            throw new IllegalArgumentException("graceUses must not be negative");
        }
    }

    /** A new {@link TokenState#ACTIVE} token. */
    public static RefreshTokenRecord active(String hash, String familyId, Optional<String> parentHash,
                                            Instant issuedAt, Instant idleExpiresAt) {
        return new RefreshTokenRecord(hash, familyId, parentHash, TokenState.ACTIVE, issuedAt, idleExpiresAt,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0);
    }

    /** Whether {@code now} is at or after the idle expiry. */
    public boolean isIdleExpiredAt(Instant now) {
        return !now.isBefore(idleExpiresAt);
    }

    /** A short, non-secret label for logs: the first 8 characters of the hash. */
    public String label() {
        return hash.substring(0, Math.min(8, hash.length()));
    }

    /** This token rotated at {@code at} into {@code successor}, with the sealed successor for a grace window. */
    public RefreshTokenRecord rotated(Instant at, String successor, Optional<String> sealed, Optional<Instant> until) {
        return new RefreshTokenRecord(hash, familyId, parentHash, TokenState.ROTATED, issuedAt, idleExpiresAt,
                Optional.of(at), Optional.of(successor), sealed, until, 0);
    }

    /** This token with its grace use counted. */
    public RefreshTokenRecord withGraceUse() {
        return new RefreshTokenRecord(hash, familyId, parentHash, state, issuedAt, idleExpiresAt, rotatedAt,
                successorHash, sealedSuccessor, graceUntil, graceUses + 1);
    }

    /** This token with a new idle expiry ({@code REUSE} mode). */
    public RefreshTokenRecord withIdleExpiry(Instant newIdleExpiresAt) {
        return new RefreshTokenRecord(hash, familyId, parentHash, state, issuedAt, newIdleExpiresAt, rotatedAt,
                successorHash, sealedSuccessor, graceUntil, graceUses);
    }

    /** This token revoked, its sealed successor dropped. */
    public RefreshTokenRecord revoked() {
        return new RefreshTokenRecord(hash, familyId, parentHash, state == TokenState.ACTIVE ? TokenState.REVOKED
                : state, issuedAt, idleExpiresAt, rotatedAt, successorHash, Optional.empty(), graceUntil, graceUses);
    }

    /** This token without its sealed successor (the grace window has passed). */
    public RefreshTokenRecord unsealed() {
        return new RefreshTokenRecord(hash, familyId, parentHash, state, issuedAt, idleExpiresAt, rotatedAt,
                successorHash, Optional.empty(), graceUntil, graceUses);
    }

    @Override
    public String toString() {
        return "RefreshTokenRecord[" + label() + "…, family=" + familyId + ", " + state + ", idleExpiresAt="
                + idleExpiresAt + (sealedSuccessor.isPresent() ? ", sealed successor" : "") + "]";
    }
}
