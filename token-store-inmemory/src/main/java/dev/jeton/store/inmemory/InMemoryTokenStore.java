package dev.jeton.store.inmemory;

import dev.jeton.RevocationReason;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.store.RotationResult;
import dev.jeton.store.StoredToken;
import dev.jeton.store.TokenState;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link TokenStore} in the JVM's heap: for tests, demos and single-instance applications. State is lost when the
 * process ends and is not shared between processes; use the JDBC store for anything else.
 *
 * <p>Each family is guarded by its own monitor, so steps on one family are serialised and steps on different families
 * run in parallel. Lookups by token hash, by family id and by subject are hash-map reads. Families past their
 * absolute expiry are purged by {@link #purgeExpired} and, so that a forgotten purge cannot grow the heap without
 * bound, by a small batch every 1,024 new families. Thread-safe.
 */
public final class InMemoryTokenStore implements TokenStore {

    private static final int AUTO_PURGE_EVERY = 1_024;
    private static final int AUTO_PURGE_BATCH = 4_096;
    private static final int MAX_INTERNED_SCOPE_SETS = 10_000;

    /** One family and its tokens, newest last. Guarded by its own monitor. */
    private static final class Entry {
        RefreshFamily family;
        RefreshTokenRecord[] tokens;

        Entry(RefreshFamily family, RefreshTokenRecord first) {
            this.family = family;
            this.tokens = new RefreshTokenRecord[] {first};
        }

        int indexOf(String hash) {
            for (int i = tokens.length - 1; i >= 0; i--) {
                if (tokens[i].hash().equals(hash)) {
                    return i;
                }
            }
            return -1;
        }

        void append(RefreshTokenRecord token) {
            tokens = Arrays.copyOf(tokens, tokens.length + 1);
            tokens[tokens.length - 1] = token;
        }

        Optional<StoredToken> stored(int index) {
            return index < 0 ? Optional.empty() : Optional.of(new StoredToken(tokens[index], family));
        }
    }

    private final ConcurrentHashMap<String, Entry> byFamilyId = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> byTokenHash = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String[]> familyIdsBySubject = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> deniedJtis = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Set<String>, Set<String>> scopeSets = new ConcurrentHashMap<>();
    private final AtomicInteger created = new AtomicInteger();

    /** An empty store. */
    public InMemoryTokenStore() {
    }

    /**
     * A ready {@link TokenService} on a new in-memory store, for applications' unit tests: issuer
     * {@code https://issuer.test}, audience {@code https://api.test}, a generated ES256 key, revocation-aware
     * validation without caching, and the given clock; everything else at its defaults.
     *
     * <pre>{@code
     * TestClock clock = TestClock.fixed();
     * TokenService tokens = InMemoryTokenStore.tokenServiceForTests(clock);
     * }</pre>
     */
    public static TokenService tokenServiceForTests(Clock clock) {
        return TokenService.builder()
                .issuer("https://issuer.test")
                .audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate("test-es256", JwsAlgorithm.ES256)))
                .store(new InMemoryTokenStore())
                .revocationAwareValidation(Duration.ZERO)
                .clock(clock)
                .build();
    }

    @Override
    public void createFamily(RefreshFamily family, RefreshTokenRecord firstToken) {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(firstToken, "firstToken");
        if (!firstToken.familyId().equals(family.id()) || firstToken.state() != TokenState.ACTIVE) {
            throw new IllegalArgumentException("the first token must be ACTIVE and belong to the family");
        }
        Entry entry = new Entry(compact(family), firstToken);
        synchronized (entry) {
            if (byFamilyId.putIfAbsent(family.id(), entry) != null) {
                throw new IllegalStateException("family " + family.id() + " already exists");
            }
            if (byTokenHash.putIfAbsent(firstToken.hash(), entry) != null) {
                byFamilyId.remove(family.id());
                throw new IllegalStateException("refresh token " + firstToken.label() + " already exists");
            }
            familyIdsBySubject.compute(family.subject(), (subject, ids) -> append(ids, family.id()));
        }
        if (created.incrementAndGet() % AUTO_PURGE_EVERY == 0) {
            purgeExpired(family.createdAt(), AUTO_PURGE_BATCH);
        }
    }

    /** Shares equal scope sets between families: most families of a client were granted the same scopes. */
    private RefreshFamily compact(RefreshFamily family) {
        Set<String> scopes = family.scopes();
        Set<String> shared = scopeSets.get(scopes);
        if (shared == null) {
            if (scopeSets.size() >= MAX_INTERNED_SCOPE_SETS) {
                return family;
            }
            shared = scopeSets.computeIfAbsent(scopes, s -> s);
        }
        return shared == scopes ? family : new RefreshFamily(family.id(), family.subject(), family.clientId(), shared,
                family.claims(), family.createdAt(), family.expiresAt(), family.revokedAt(),
                family.revocationReason());
    }

    private static String[] append(String[] ids, String id) {
        if (ids == null) {
            return new String[] {id};
        }
        String[] more = Arrays.copyOf(ids, ids.length + 1);
        more[ids.length] = id;
        return more;
    }

    @Override
    public Optional<StoredToken> findToken(String tokenHash) {
        Entry entry = byTokenHash.get(tokenHash);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return entry.stored(entry.indexOf(tokenHash));
        }
    }

    @Override
    public RotationResult rotate(String presentedHash, RefreshTokenRecord successor, Optional<String> sealedSuccessor,
                                 Optional<Instant> graceUntil, Instant now) {
        Objects.requireNonNull(successor, "successor");
        if (sealedSuccessor.isPresent() != graceUntil.isPresent()) {
            throw new IllegalArgumentException("sealedSuccessor and graceUntil go together");
        }
        Entry entry = byTokenHash.get(presentedHash);
        if (entry == null) {
            return RotationResult.refused(Optional.empty());
        }
        synchronized (entry) {
            int index = entry.indexOf(presentedHash);
            if (index < 0 || !canUpdate(entry, index, now)) {
                return RotationResult.refused(entry.stored(index));
            }
            if (!successor.familyId().equals(entry.family.id())) {
                throw new IllegalArgumentException("the successor must belong to the same family");
            }
            if (byTokenHash.putIfAbsent(successor.hash(), entry) != null) {
                throw new IllegalStateException("refresh token " + successor.label() + " already exists");
            }
            entry.tokens[index] = entry.tokens[index].rotated(now, successor.hash(), sealedSuccessor, graceUntil);
            entry.append(successor);
            return RotationResult.applied(new StoredToken(successor, entry.family));
        }
    }

    /** Caller holds the entry's monitor. */
    private static boolean canUpdate(Entry entry, int index, Instant now) {
        RefreshTokenRecord token = entry.tokens[index];
        return entry.family.isLiveAt(now) && token.state() == TokenState.ACTIVE && !token.isIdleExpiredAt(now);
    }

    @Override
    public Optional<RefreshTokenRecord> claimGrace(String familyId, String presentedHash, int maxUses, Instant now) {
        Entry entry = byTokenHash.get(presentedHash);
        if (entry == null || !entry.family.id().equals(familyId)) {
            return Optional.empty();
        }
        synchronized (entry) {
            int index = entry.indexOf(presentedHash);
            if (index < 0 || !entry.family.isLiveAt(now)) {
                return Optional.empty();
            }
            RefreshTokenRecord token = entry.tokens[index];
            if (token.state() != TokenState.ROTATED || token.sealedSuccessor().isEmpty()
                    || token.graceUntil().isEmpty() || !now.isBefore(token.graceUntil().get())
                    || token.graceUses() >= maxUses) {
                return Optional.empty();
            }
            int successor = entry.indexOf(token.successorHash().orElseThrow());
            if (successor < 0 || entry.tokens[successor].state() != TokenState.ACTIVE
                    || entry.tokens[successor].isIdleExpiredAt(now)) {
                return Optional.empty();
            }
            entry.tokens[index] = token.withGraceUse();
            return Optional.of(entry.tokens[index]);
        }
    }

    @Override
    public RotationResult slide(String familyId, String presentedHash, Instant newIdleExpiresAt, Instant now) {
        Entry entry = byTokenHash.get(presentedHash);
        if (entry == null || !entry.family.id().equals(familyId)) {
            return RotationResult.refused(Optional.empty());
        }
        synchronized (entry) {
            int index = entry.indexOf(presentedHash);
            if (index < 0 || !canUpdate(entry, index, now)) {
                return RotationResult.refused(entry.stored(index));
            }
            entry.tokens[index] = entry.tokens[index].withIdleExpiry(newIdleExpiresAt);
            return RotationResult.applied(new StoredToken(entry.tokens[index], entry.family));
        }
    }

    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        Objects.requireNonNull(reason, "reason");
        Entry entry = byFamilyId.get(familyId);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            if (entry.family.isRevoked()) {
                return false;
            }
            entry.family = entry.family.revoked(now, reason);
            for (int i = 0; i < entry.tokens.length; i++) {
                entry.tokens[i] = entry.tokens[i].revoked();
            }
            return true;
        }
    }

    @Override
    public Optional<RefreshFamily> findFamily(String familyId) {
        Entry entry = byFamilyId.get(familyId);
        if (entry == null) {
            return Optional.empty();
        }
        synchronized (entry) {
            return Optional.of(entry.family);
        }
    }

    @Override
    public List<RefreshFamily> liveFamilies(String subject, Instant now) {
        String[] ids = familyIdsBySubject.get(subject);
        if (ids == null) {
            return List.of();
        }
        List<RefreshFamily> live = new ArrayList<>();
        for (String id : ids) {
            findFamily(id).filter(f -> f.isLiveAt(now)).ifPresent(live::add);
        }
        return live;
    }

    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        deniedJtis.merge(Objects.requireNonNull(jti, "jti"), Objects.requireNonNull(expiresAt, "expiresAt"),
                (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public boolean isAccessTokenRevoked(String jti, Instant now) {
        Instant until = deniedJtis.get(jti);
        return until != null && now.isBefore(until);
    }

    @Override
    public int purgeExpired(Instant now, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive");
        }
        int deleted = 0;
        Iterator<Map.Entry<String, Instant>> denials = deniedJtis.entrySet().iterator();
        while (deleted < maxRows && denials.hasNext()) {
            if (!now.isBefore(denials.next().getValue())) {
                denials.remove();
                deleted++;
            }
        }
        Map<String, Set<String>> removedBySubject = new HashMap<>();
        for (Entry entry : byFamilyId.values()) {
            if (deleted >= maxRows) {
                break;
            }
            synchronized (entry) {
                if (entry.family.isExpiredAt(now)) {
                    deleted += remove(entry);
                    removedBySubject.computeIfAbsent(entry.family.subject(), s -> new HashSet<>())
                            .add(entry.family.id());
                } else {
                    dropPassedSeals(entry, now);
                }
            }
        }
        // One pass over each subject's ids, however many of its families went.
        removedBySubject.forEach((subject, removed) -> familyIdsBySubject.computeIfPresent(subject, (s, ids) -> {
            String[] rest = Arrays.stream(ids).filter(id -> !removed.contains(id)).toArray(String[]::new);
            return rest.length == 0 ? null : rest;
        }));
        return deleted;
    }

    /** Caller holds the entry's monitor. Returns the rows removed: the family and its tokens. */
    private int remove(Entry entry) {
        for (RefreshTokenRecord token : entry.tokens) {
            byTokenHash.remove(token.hash(), entry);
        }
        byFamilyId.remove(entry.family.id(), entry);
        return 1 + entry.tokens.length;
    }

    private static void dropPassedSeals(Entry entry, Instant now) {
        for (int i = 0; i < entry.tokens.length; i++) {
            RefreshTokenRecord token = entry.tokens[i];
            if (token.sealedSuccessor().isPresent() && !now.isBefore(token.graceUntil().orElseThrow())) {
                entry.tokens[i] = token.unsealed();
            }
        }
    }

    /** How many families the store holds, expired ones not yet purged included. */
    public int familyCount() {
        return byFamilyId.size();
    }

    /** How many refresh-token rows the store holds. */
    public int tokenCount() {
        return byTokenHash.size();
    }

    @Override
    public String toString() {
        return "InMemoryTokenStore[" + familyCount() + " families, " + tokenCount() + " tokens]";
    }
}
