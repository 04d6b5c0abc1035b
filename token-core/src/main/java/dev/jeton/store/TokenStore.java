package dev.jeton.store;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where refresh-token state lives. Jeton runs the refresh state machine (DESIGN §5) itself; a store provides the
 * atomic steps it needs, each of them <em>serialised per family</em> against every other step on the same family,
 * and checked by {@code TokenStoreContract} in {@code token-store-tck}.
 *
 * <p>What a store holds is never a usable token: token rows carry only a hash of the token, and a successor sealed
 * under a key derived from its predecessor token. Implementations must be thread-safe, and safe across processes
 * when they are shared (a database). Every method throws {@link TokenStoreException} on an infrastructure failure,
 * after having changed nothing; implementations retry contention (serialisation failures, deadlocks) themselves. A
 * write whose commit answer is lost (the connection failed after the commit was sent) is resolved before answering:
 * the store looks for its effect and answers as if the commit had succeeded or failed; only when it cannot look does
 * it throw a {@link TokenStoreException} whose {@link TokenStoreException#outcomeUnknown()} is true, never one that
 * claims nothing changed.
 *
 * <p>Instants passed in come from Jeton's clock; a store never reads its own clock.
 */
public interface TokenStore {

    /**
     * Stores a new family with its first, {@link TokenState#ACTIVE} token. Atomic: both or neither.
     *
     * @throws IllegalStateException if the family id or the token hash already exists (a bug or an astronomically
     *     unlikely collision)
     */
    void createFamily(RefreshFamily family, RefreshTokenRecord firstToken);

    /**
     * The token with this hash and its family, or empty. A plain read: no lock, may be stale by the time the caller
     * acts, which is why the steps below re-check under serialisation.
     */
    Optional<StoredToken> findToken(String tokenHash);

    /**
     * Rotates the presented token, atomically and serialised with every other step on its family. Applied if and only
     * if, at that moment, the family is not revoked and {@code now} is before its absolute expiry, and the presented
     * token is {@link TokenState#ACTIVE} and {@code now} is before its idle expiry. Then the presented token becomes
     * {@link TokenState#ROTATED} (rotated at {@code now}, with {@code successor}'s hash, {@code sealedSuccessor} and
     * {@code graceUntil}), and {@code successor} is inserted {@link TokenState#ACTIVE}.
     *
     * @param presentedHash the hash of the presented token
     * @param successor the new token row, {@link TokenState#ACTIVE}, same family
     * @param sealedSuccessor the successor sealed for the grace window, or empty when there is no grace window
     * @param graceUntil the end of the grace window, present exactly when {@code sealedSuccessor} is
     * @param now the instant of the refresh
     * @return applied with the successor as inserted and its family, or refused with the presented token and its
     *     family as they stood
     */
    RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Optional<String> sealedSuccessor,
                          Optional<Instant> graceUntil, Instant now);

    /**
     * Claims one use of a rotated token's grace window, atomically and serialised with the family. Succeeds if and
     * only if the family is live at {@code now}, the presented token is {@link TokenState#ROTATED} with a sealed
     * successor, {@code now} is before its {@code graceUntil}, it has been used fewer than {@code maxUses} times,
     * and its successor is still {@link TokenState#ACTIVE} and not idle-expired. Then its grace use count goes up by
     * one.
     *
     * @param familyId the family of the presented token, as read by {@link #findToken}
     * @return the presented token after the claim, or empty if the claim was refused (nothing changed)
     */
    Optional<RefreshTokenRecord> claimGrace(String familyId, String presentedHash, int maxUses, Instant now);

    /**
     * Slides the idle expiry of the presented token ({@code REUSE} mode), atomically and serialised with the family.
     * Applied under the same conditions as {@link #rotate}; sets its idle expiry to {@code newIdleExpiresAt}.
     *
     * @param familyId the family of the presented token, as read by {@link #findToken}
     * @return applied with the token as updated, or refused with the token and family as they stood
     */
    RotationResult slide(String familyId, String presentedHash, Instant newIdleExpiresAt, Instant now);

    /**
     * Revokes a family, serialised with every other step on it: sets its revocation instant and reason, marks its
     * {@link TokenState#ACTIVE} token {@link TokenState#REVOKED}, and drops every sealed successor. A family already
     * revoked keeps its first revocation.
     *
     * @return whether this call revoked it (false if it was already revoked or does not exist)
     */
    boolean revokeFamily(String familyId, RevocationReason reason, Instant now);

    /** The family with this id, or empty. */
    Optional<RefreshFamily> findFamily(String familyId);

    /** The families of {@code subject} that are live at {@code now} (not revoked, before their absolute expiry). */
    List<RefreshFamily> liveFamilies(String subject, Instant now);

    /**
     * Denies an access token by its {@code jti} until {@code expiresAt} (RFC 7009 for access tokens). Idempotent.
     */
    void revokeAccessToken(String jti, Instant expiresAt);

    /** Whether the access token with this {@code jti} was revoked (and the denial has not expired at {@code now}). */
    boolean isAccessTokenRevoked(String jti, Instant now);

    /**
     * Deletes, in one bounded batch, what can no longer matter at {@code now}: families past their absolute expiry
     * with all their tokens, and access-token denials past their expiry. Never deletes a token of a family before
     * the family's absolute expiry, so reuse of any rotated token stays detectable. Sealed successors whose grace
     * window has passed are dropped. Runs beside refreshes without making any of them wait long or fail: a database
     * store bounds each statement by an index and a batch size, in short transactions.
     *
     * @param now the current instant
     * @param maxRows about how many rows (families, tokens or denials) to delete in this call; a call may exceed it by
     *     one family's rows
     * @return how many rows were deleted, plus, for a store that counts them, sealed successors dropped; call again
     *     while it returns {@code maxRows} or more
     */
    int purgeExpired(Instant now, int maxRows);
}
