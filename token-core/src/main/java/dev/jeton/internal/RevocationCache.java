package dev.jeton.internal;

import dev.jeton.store.FamilyRecord;
import dev.jeton.store.TokenStore;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's answers to "is this family / this jti revoked?", kept briefly so that revocation-aware validation does
 * not ask the store on every request. A "revoked" answer is kept (revocation is final); a "not revoked" answer for at
 * most the TTL. Revocations made through the same service are recorded at once. Bounded. Not part of Jeton's API.
 */
public final class RevocationCache {

    private static final int MAX_ENTRIES = 100_000;

    private record Answer(boolean revoked, long checkedAtMillis) {
    }

    private final TokenStore store;
    private final long ttlMillis;
    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();

    public RevocationCache(TokenStore store, long ttlMillis) {
        this.store = store;
        this.ttlMillis = ttlMillis;
    }

    /** Whether the family is revoked, or gone (purged after its absolute expiry). */
    public boolean isFamilyRevoked(String familyId, Instant now) {
        return revoked("f:" + familyId, now, () -> {
            Optional<FamilyRecord> family = store.findFamily(familyId);
            return family.isEmpty() || family.get().isRevoked();
        });
    }

    public boolean isAccessTokenRevoked(String jti, Instant now) {
        return revoked("j:" + jti, now, () -> store.revocationStatus(Optional.empty(), jti, now).accessTokenRevoked());
    }

    public void familyRevoked(String familyId, Instant now) {
        put("f:" + familyId, new Answer(true, now.toEpochMilli()));
    }

    public void accessTokenRevoked(String jti, Instant now) {
        put("j:" + jti, new Answer(true, now.toEpochMilli()));
    }

    private boolean revoked(String key, Instant now, java.util.function.BooleanSupplier lookup) {
        long nowMillis = now.toEpochMilli();
        Answer answer = answers.get(key);
        if (answer != null && (answer.revoked() || nowMillis - answer.checkedAtMillis() < ttlMillis)) {
            return answer.revoked();
        }
        boolean revoked = lookup.getAsBoolean();
        put(key, new Answer(revoked, nowMillis));
        return revoked;
    }

    private void put(String key, Answer answer) {
        if (answers.size() >= MAX_ENTRIES) {
            Iterator<Answer> it = answers.values().iterator();
            for (int i = 0; i < MAX_ENTRIES / 10 && it.hasNext(); i++) {
                it.next();
                it.remove();
            }
        }
        answers.put(key, answer);
    }
}
