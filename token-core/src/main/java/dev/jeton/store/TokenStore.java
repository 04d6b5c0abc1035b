package dev.jeton.store;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where refresh-token state lives: <b>one {@link FamilyRecord} per family</b> (one login), whatever the number of
 * refreshes, plus denied access-token {@code jti}s. Jeton runs the refresh state machine (DESIGN §5) itself, in core;
 * a store only holds state and changes it in atomic, conditional steps, each applied or refused as a whole and
 * serialised against every other step on the same family. {@code TokenStoreContract} in {@code token-store-tck}
 * checks every method.
 *
 * <p>Nothing a store holds is a usable token: only hashes, and a grace-window successor sealed under a key derived
 * from its predecessor. A store never parses {@link RefreshFamily#claimsJson()}, and compares every text exactly (case
 * and trailing spaces count). Implementations must be thread-safe, and safe across processes when shared (a database).
 * Every method throws {@link TokenStoreException} on an infrastructure failure, after having changed nothing; stores
 * retry contention (serialisation failures, deadlocks) themselves. A write whose answer is lost (the connection failed
 * after the statement or commit was sent) is resolved before answering: the store looks for its effect and answers
 * as if it had succeeded or failed; only when it cannot look does it throw a {@link TokenStoreException} whose
 * {@link TokenStoreException#outcomeUnknown()} is true, never one that claims nothing changed.
 *
 * <p>Instants passed in come from Jeton's clock; a store never reads its own clock.
 */
public interface TokenStore {

    /**
     * Stores a new family at generation 0.
     *
     * @throws IllegalStateException if a family with this id exists (a bug, or an astronomically unlikely collision)
     */
    void createFamily(FamilyRecord first);

    /** The family with this id, or empty. A plain read: it may be stale by the time the caller acts. */
    Optional<FamilyRecord> findFamily(String familyId);

    /**
     * Rotates, atomically: applied if and only if the family {@link FamilyRecord#acceptsCurrent accepts}
     * {@code rotation.presentedGeneration()} and {@code rotation.presentedHash()} as current at
     * {@code rotation.now()}; then the record becomes {@link FamilyRecord#rotated}.
     *
     * @return applied with the record after, or refused with the record as it stood (empty if there is no family)
     */
    StepResult rotate(Rotation rotation);

    /**
     * Claims one use of the grace window, atomically: applied if and only if the family
     * {@link FamilyRecord#acceptsGraceClaim accepts} the claim; then the window's use count goes up by one.
     *
     * @return applied with the record after (its grace window holds the sealed successor), or refused with the record
     *     as it stood
     */
    StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now);

    /**
     * Slides the current token's idle expiry ({@code REUSE} mode), atomically: applied under the same condition as
     * {@link #rotate}, with the generation unchanged.
     *
     * @return applied with the record after, or refused with the record as it stood
     */
    StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt, Instant now);

    /**
     * Revokes a family, atomically: sets its revocation (a first one is kept) and drops its grace window.
     *
     * @return whether this call revoked it (false if it was already revoked or does not exist)
     */
    boolean revokeFamily(String familyId, RevocationReason reason, Instant now);

    /**
     * The families of exactly {@code subject} that are live at {@code now} (not revoked, before their absolute
     * expiry), in any order.
     */
    List<FamilyRecord> liveFamilies(String subject, Instant now);

    /** Denies an access token by its {@code jti} until {@code expiresAt} (RFC 7009). Idempotent. */
    void revokeAccessToken(String jti, Instant expiresAt);

    /**
     * In one lookup: whether the family {@code familyId} (when given) is revoked or gone, and whether {@code jti} is
     * denied at {@code now}.
     */
    RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now);

    /**
     * Deletes, in one bounded batch, what can no longer matter at {@code now}: families past their absolute expiry, and
     * access-token denials past their expiry; grace windows that have passed are dropped. Never blocks refreshes for
     * long: bounded by an index and the batch size, in short transactions.
     *
     * @param maxRows about how many records to delete or change in this call
     * @return how many were deleted or changed; call again while it returns {@code maxRows} or more
     */
    int purgeExpired(Instant now, int maxRows);
}
