package dev.jeton.internal;

import dev.jeton.store.RevocationStatus;
import dev.jeton.store.TokenStore;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's answers to "is this family / this jti revoked?", kept briefly so that revocation-aware validation does
 * not ask the store on every request. A "revoked" answer is kept (revocation is final); a "not revoked" answer for at
 * most the TTL. Revocations made through the same service are recorded at once. Bounded ({@link BoundedCache}): an evicted "revoked" is read again from
 * the store, which still says so. Not part of Jeton's API.
 *
 * <p>A "revoked" answer always wins: a "not revoked" answer never replaces it, and a "not revoked" answer whose
 * lookup overlapped a revocation recorded here is returned to its caller but not kept, so a lookup that read the
 * store just before a revocation cannot re-open the revoked session for the TTL once the revocation is recorded.
 * Ages come from the caller's clock; an answer stamped later than now (the clock stepped back) counts as stale.
 *
 * <p>Thread-safe.
 */
public final class RevocationCache {

    private static final int MAX_ENTRIES = 100_000;

    /** A store answer, stamped with the time its lookup started: it is never younger than what it saw. */
    private record Answer(boolean revoked, long checkedAtMillis) {
    }

    private static final Answer REVOKED = new Answer(true, Long.MIN_VALUE);

    private final TokenStore store;
    private final long ttlMillis;
    private final BoundedCache<String, Answer> answers = new BoundedCache<>(MAX_ENTRIES);
    /** Bumped before each revocation recorded here is stored; a lookup across a bump keeps no "not revoked". */
    private final AtomicLong recordedRevocations = new AtomicLong();

    public RevocationCache(TokenStore store, long ttlMillis) {
        this.store = store;
        this.ttlMillis = ttlMillis;
    }

    /**
     * Whether the access token's session ({@code familyId}, when it has one) is revoked or gone, and whether its
     * {@code jti} is denied: from fresh answers kept here, else from <em>one</em> store lookup answering both.
     */
    public RevocationStatus status(Optional<String> familyId, String jti, Instant now) {
        long nowMillis = now.toEpochMilli();
        Optional<String> familyKey = familyId.map(id -> "f:" + id);
        String jtiKey = "j:" + jti;
        Boolean family = familyKey.isEmpty() ? Boolean.FALSE : known(familyKey.get(), nowMillis);
        Boolean access = known(jtiKey, nowMillis);
        if (Boolean.TRUE.equals(family) || Boolean.TRUE.equals(access) || family != null && access != null) {
            return new RevocationStatus(Boolean.TRUE.equals(family), Boolean.TRUE.equals(access));
        }
        long revocationsBefore = recordedRevocations.get();
        RevocationStatus fresh = store.revocationStatus(familyId, jti, now);
        familyKey.ifPresent(key -> keep(key, fresh.sessionRevoked(), revocationsBefore, nowMillis));
        keep(jtiKey, fresh.accessTokenRevoked(), revocationsBefore, nowMillis);
        return fresh;
    }

    /** Whether the family is revoked, or gone (purged after its absolute expiry). */
    public boolean isFamilyRevoked(String familyId, Instant now) {
        return status(Optional.of(familyId), "", now).sessionRevoked();
    }

    /** Whether the access token with this {@code jti} is denied. */
    public boolean isAccessTokenRevoked(String jti, Instant now) {
        return status(Optional.empty(), jti, now).accessTokenRevoked();
    }

    /** Records a revocation already written to the store. */
    public void familyRevoked(String familyId) {
        recordRevocation("f:" + familyId);
    }

    /** Records a denial already written to the store. */
    public void accessTokenRevoked(String jti) {
        recordRevocation("j:" + jti);
    }

    private void recordRevocation(String key) {
        // The bump comes first: a lookup keeping its answer either sees it and keeps nothing, or kept its answer
        // before it, and the put below overwrites that answer.
        recordedRevocations.incrementAndGet();
        answers.put(key, REVOKED);
    }

    /** The kept answer for {@code key} if it is "revoked" or still fresh, else null. */
    private Boolean known(String key, long nowMillis) {
        Answer answer = answers.get(key);
        return answer != null && (answer.revoked() || isFresh(answer, nowMillis)) ? answer.revoked() : null;
    }

    /**
     * Keeps a store answer: "revoked" always; "not revoked" only if no revocation was recorded here since the lookup
     * began, and never over a "revoked".
     */
    private void keep(String key, boolean revoked, long revocationsBefore, long nowMillis) {
        if (revoked) {
            answers.put(key, REVOKED);
        } else {
            answers.compute(key, (k, existing) -> (existing != null && existing.revoked())
                    || recordedRevocations.get() != revocationsBefore ? existing : new Answer(false, nowMillis));
        }
    }

    private boolean isFresh(Answer answer, long nowMillis) {
        long age = nowMillis - answer.checkedAtMillis();
        // A negative age means the clock went back since the lookup: how old the answer is cannot be told.
        return age >= 0 && age < ttlMillis;
    }
}
