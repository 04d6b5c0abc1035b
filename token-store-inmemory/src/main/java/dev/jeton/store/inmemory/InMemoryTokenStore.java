package dev.jeton.store.inmemory;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Revocation;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A {@link TokenStore} in the JVM's heap: for tests, demos and single-instance applications. State is lost when the
 * process ends and is not shared between processes; use the JDBC store for anything else.
 *
 * <p>One immutable {@link FamilyRecord} per family, in a concurrent map; each step replaces it with a compare-and-set
 * of the whole record ({@link ConcurrentHashMap#compute}), so steps on one family are serialised and steps on
 * different families run in parallel. A subject index serves sessions and "log out everywhere". Families past their
 * absolute expiry are purged by {@link #purgeExpired} and, so that a forgotten purge cannot grow the heap without
 * bound, by a small batch every 1,024 new families. Thread-safe.
 */
public final class InMemoryTokenStore implements TokenStore {

    private static final int AUTO_PURGE_EVERY = 1_024;
    private static final int AUTO_PURGE_BATCH = 4_096;

    private final ConcurrentHashMap<String, FamilyRecord> families = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> familyIdsBySubject = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> deniedJtis = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();

    /** An empty store. */
    public InMemoryTokenStore() {
    }

    @Override
    public void createFamily(FamilyRecord first) {
        Objects.requireNonNull(first, "first").requireNew();
        String id = first.id();
        // Indexed only once stored: a refused duplicate must not list the existing family under its subject.
        if (families.putIfAbsent(id, first) != null) {
            throw new IllegalStateException("family " + id + " already exists");
        }
        // Index changes run inside compute on the subject's key, so a purge emptying the set cannot drop this id.
        familyIdsBySubject.compute(first.family().subject(), (subject, ids) -> {
            Set<String> set = ids != null ? ids : ConcurrentHashMap.newKeySet();
            set.add(id);
            return set;
        });
        if (created.incrementAndGet() % AUTO_PURGE_EVERY == 0) {
            purgeExpired(first.family().createdAt(), AUTO_PURGE_BATCH);
        }
    }

    @Override
    public Optional<FamilyRecord> findFamily(String familyId) {
        return Optional.ofNullable(families.get(familyId));
    }

    @Override
    public StepResult rotate(Rotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        return step(rotation.familyId(), r -> r.acceptsCurrent(rotation.presentedGeneration(),
                rotation.presentedHash(), rotation.now()) ? r.rotated(rotation) : null);
    }

    @Override
    public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        return step(familyId, r -> r.acceptsGraceClaim(previousHash, maxUses, now) ? r.graceUsed() : null);
    }

    @Override
    public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                            Instant now) {
        return step(familyId, r -> r.acceptsCurrent(generation, currentHash, now) ? r.slid(newIdleExpiresAt) : null);
    }

    /** Applies {@code change} (null: refused) to the family's record atomically; the refused record as it stood. */
    private StepResult step(String familyId, UnaryOperator<FamilyRecord> change) {
        Objects.requireNonNull(familyId, "familyId");
        StepResult[] result = new StepResult[1];
        families.computeIfPresent(familyId, (id, record) -> {
            FamilyRecord after = change.apply(record);
            result[0] = after == null ? StepResult.refused(Optional.of(record)) : StepResult.applied(after);
            return after == null ? record : after;
        });
        return result[0] != null ? result[0] : StepResult.refused(Optional.empty());
    }

    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        Objects.requireNonNull(reason, "reason");
        StepResult result = step(familyId, r -> r.isRevoked() ? null : r.revoked(new Revocation(now, reason)));
        return result.applied();
    }

    @Override
    public List<FamilyRecord> liveFamilies(String subject, Instant now) {
        Set<String> ids = familyIdsBySubject.get(subject);
        if (ids == null) {
            return List.of();
        }
        List<FamilyRecord> live = new ArrayList<>();
        for (String id : ids) {
            FamilyRecord record = families.get(id);
            if (record != null && record.isLiveAt(now)) {
                live.add(record);
            }
        }
        return live;
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        deniedJtis.merge(jti, expiresAt, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
        boolean sessionRevoked = familyId.map(id -> {
            FamilyRecord record = families.get(id);
            return record == null || record.isRevoked();
        }).orElse(false);
        Instant denied = deniedJtis.get(jti);
        return new RevocationStatus(sessionRevoked, denied != null && now.isBefore(denied));
    }

    @Override
    public int purgeExpired(Instant now, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive");
        }
        int changed = 0;
        for (Iterator<Map.Entry<String, Instant>> it = deniedJtis.entrySet().iterator();
             it.hasNext() && changed < maxRows; ) {
            if (!now.isBefore(it.next().getValue())) {
                it.remove();
                changed++;
            }
        }
        for (Iterator<FamilyRecord> it = families.values().iterator(); it.hasNext() && changed < maxRows; ) {
            FamilyRecord record = it.next();
            if (record.family().isExpiredAt(now)) {
                if (families.remove(record.id()) != null) {
                    changed++;
                    familyIdsBySubject.computeIfPresent(record.family().subject(), (subject, ids) -> {
                        ids.remove(record.id());
                        return ids.isEmpty() ? null : ids;
                    });
                }
            } else if (record.grace().isPresent() && !now.isBefore(record.grace().get().until())) {
                FamilyRecord[] dropped = new FamilyRecord[1];
                families.computeIfPresent(record.id(), (id, r) -> r.grace().isPresent()
                        && !now.isBefore(r.grace().get().until()) ? (dropped[0] = r.withoutGrace()) : r);
                if (dropped[0] != null) {
                    changed++;
                }
            }
        }
        return changed;
    }

    /** How many families the store holds, for tests and footprint measurements. */
    public int familyCount() {
        return families.size();
    }

    @Override
    public String toString() {
        return "InMemoryTokenStore[" + families.size() + " families]";
    }
}
