package dev.jeton.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RevocationReason;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.internal.RefreshTokenCodec;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Revocation;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import dev.jeton.store.jdbc.TestDatabases;
import dev.jeton.testing.TestClock;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The refresh lifecycle under load: worker threads issue, refresh, replay rotated tokens (inside and outside the grace
 * window), revoke tokens, log subjects out everywhere and validate access tokens, while a driver thread moves a
 * {@link TestClock} forward after every batch of operations (it waits on a semaphore the workers release; nothing
 * sleeps). At the end it checks DESIGN §6: no family has two usable tokens, and the store holds one record per family;
 * every replay of a rotated token outside the grace window failed, and when it failed with REUSED its family is revoked
 * for reuse; no refresh succeeded in a family after its revocation had completed, and no token of a revoked family
 * refreshes; and once the clock is past every family's absolute expiry, a purge leaves the store empty (in-memory
 * counts, JDBC row counts).
 *
 * <p>Each store runs for {@code -Djeton.soak.seconds} seconds of wall-clock time (default 3, so that every build runs
 * it; {@code -Djeton.soak.seconds=600} for a long run, see README) and at least {@value #MIN_OPERATIONS} operations,
 * however slow the machine: in memory, on H2, and on PostgreSQL when reachable (with
 * {@code JETON_REQUIRE_RESOURCES=true} it must be).
 */
class LifecycleSoakIT {

    private static final int WORKERS = 6;
    private static final Duration GRACE = Duration.ofSeconds(2);
    private static final Duration IDLE_TTL = Duration.ofMinutes(3);
    private static final Duration MAX_TTL = Duration.ofHours(6);
    private static final int OPS_PER_TICK = 50;
    /** What every run does at least, so that its checks have families, rotations and replays to check. */
    private static final long MIN_OPERATIONS = 2_000;

    @BeforeAll
    static void quiet() {
        CapturingSlf4jProvider.silence(true); // one WARN per detected reuse, thousands of them
    }

    @AfterAll
    static void loud() {
        CapturingSlf4jProvider.silence(false);
    }

    /** One refresh token the test holds, with what it knows of it. */
    private static final class Held {
        final String token;
        final Family family;
        /** Clock reading after the refresh that rotated this token returned; null while the test thinks it active. */
        final AtomicReference<Instant> rotatedBy = new AtomicReference<>();
        final AtomicReference<String> successor = new AtomicReference<>();

        Held(String token, Family family) {
            this.token = token;
            this.family = family;
        }
    }

    private static final class Family {
        final String id;
        final String subject;
        final String client;
        final List<Held> tokens = new CopyOnWriteArrayList<>();
        /** Sequence number at which a revocation of this family had completed; 0 while none has. */
        final AtomicLong revokedAtSequence = new AtomicLong();
        /** Set before the test asks to revoke this family (logout or log out everywhere). */
        volatile boolean logoutRequested;

        Family(String id, String subject, String client) {
            this.id = id;
            this.subject = subject;
            this.client = client;
        }
    }

    private record Replay(Held held, boolean outsideGrace, String outcome) {
    }

    /** The tokens workers pick from: the latest 512 issued or rotated in, older ones overwritten. */
    private static final class Pool {
        private final java.util.concurrent.atomic.AtomicReferenceArray<Held> slots =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(512);
        private final java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();

        void add(Held held) {
            slots.set(Math.floorMod(added.getAndIncrement(), slots.length()), held);
        }

        int size() {
            return Math.min(added.get(), slots.length());
        }

        Held pick(ThreadLocalRandom random) {
            Held held;
            do {
                held = slots.get(random.nextInt(size()));
            } while (held == null);
            return held;
        }
    }

    @ParameterizedTest(name = "{0} store")
    @ValueSource(strings = {"in-memory", "jdbc-h2", "jdbc-postgresql"})
    void lifecycleUnderLoadKeepsTheStoreInvariants(String kind) throws Exception {
        long seconds = Long.getLong("jeton.soak.seconds", 3);
        TestClock clock = TestClock.fixed();
        DataSource dataSource = null;
        String prefix = TestDatabases.uniquePrefix();
        TokenStore store;
        if (kind.equals("in-memory")) {
            store = new InMemoryTokenStore();
        } else {
            dataSource = TestDatabases.pool(kind.equals("jdbc-h2") ? TestDatabases.Kind.H2
                    : TestDatabases.Kind.POSTGRESQL);
            store = JdbcTokenStore.builder(dataSource).tablePrefix(prefix).createSchemaIfMissing(true).build();
        }
        TokenService tokens = TokenService.builder()
                .issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(JwtKey.generate("soak", JwsAlgorithm.HS256))).store(store).clock(clock)
                .accessTokenTtl(Duration.ofMinutes(5)).refreshTokenIdleTtl(IDLE_TTL).refreshTokenMaxTtl(MAX_TTL)
                .reuseGrace(GRACE).revocationAwareValidation(Duration.ZERO)
                .build();

        Map<String, Family> families = new ConcurrentHashMap<>();
        Pool pool = new Pool();
        List<Replay> replays = new CopyOnWriteArrayList<>();
        List<String> violations = new CopyOnWriteArrayList<>();
        AtomicLong sequence = new AtomicLong();
        AtomicLong operations = new AtomicLong();
        AtomicLong apiLogins = new AtomicLong();
        Semaphore ticks = new Semaphore(0);
        AtomicBoolean running = new AtomicBoolean(true);
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(seconds);

        ExecutorService threads = Executors.newFixedThreadPool(WORKERS + 1);
        List<Future<?>> futures = new ArrayList<>();
        futures.add(threads.submit(() -> {
            while (running.get()) {
                if (ticks.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    clock.advance(Duration.ofMillis(ThreadLocalRandom.current().nextInt(50, 1500)));
                }
            }
            return null;
        }));
        for (int w = 0; w < WORKERS; w++) {
            futures.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline || operations.get() < MIN_OPERATIONS) {
                    int op = random.nextInt(100);
                    if (op < 15 || pool.size() < 10) {
                        String subject = "user-" + random.nextInt(40);
                        String client = random.nextBoolean() ? "web" : "mobile";
                        TokenPair pair = tokens.issue(IssueRequest.forSubject(subject).client(client)
                                .scopes("openid").build());
                        Family family = new Family(pair.sessionId().orElseThrow(), subject, client);
                        families.put(family.id, family);
                        Held held = new Held(pair.refreshToken().orElseThrow(), family);
                        family.tokens.add(held);
                        pool.add(held);
                    } else if (op < 60) {
                        refresh(tokens, clock, pool, random, sequence, violations);
                    } else if (op < 80) {
                        replay(tokens, clock, pool, random, replays, violations);
                    } else if (op < 88) {
                        Held held = pool.pick(random);
                        held.family.logoutRequested = true;
                        tokens.revoke(held.token);
                        held.family.revokedAtSequence.compareAndSet(0, sequence.incrementAndGet());
                    } else if (op < 90) {
                        String subject = "user-" + random.nextInt(40);
                        families.values().stream().filter(f -> f.subject.equals(subject))
                                .forEach(f -> f.logoutRequested = true);
                        tokens.revokeAll(subject);
                        // A family issued while revokeAll ran may not be revoked by it: record only those seen
                        // revoked, with a sequence number taken after seeing it.
                        families.values().stream().filter(f -> f.subject.equals(subject))
                                .filter(f -> store.findFamily(f.id).map(FamilyRecord::isRevoked).orElse(false))
                                .forEach(f -> f.revokedAtSequence.compareAndSet(0, sequence.incrementAndGet()));
                    } else {
                        // A subject no worker logs out everywhere, so nothing can revoke this family meanwhile.
                        apiLogins.incrementAndGet();
                        try {
                            tokens.validate(tokens.issue(IssueRequest.forSubject("api-caller-" + random.nextInt(5))
                                    .client("web").build()).accessToken());
                        } catch (InvalidTokenException e) {
                            violations.add("a fresh access token was refused: " + e.reason());
                        }
                    }
                    if (operations.incrementAndGet() % OPS_PER_TICK == 0) {
                        ticks.release();
                    }
                }
                return null;
            }));
        }
        for (Future<?> future : futures.subList(1, futures.size())) {
            future.get(seconds + 120, TimeUnit.SECONDS);
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - started);
        running.set(false);
        futures.get(0).get(30, TimeUnit.SECONDS);
        threads.shutdown();

        assertThat(violations).isEmpty();

        RefreshTokenCodec codec = new RefreshTokenCodec("jrt", null, new SecureRandom());
        Instant end = clock.instant();
        int reused = 0;
        for (Replay replay : replays) {
            if (replay.outsideGrace) {
                assertThat(replay.outcome).as("replay of a rotated token outside the grace window")
                        .isIn("REUSED", "REVOKED", "EXPIRED");
            }
            if (replay.outcome.equals("REUSED")) {
                reused++;
                FamilyRecord family = store.findFamily(replay.held.family.id).orElseThrow();
                assertThat(family.isRevoked()).as("family of a reused token is revoked").isTrue();
                // Revoked for the reuse, unless a logout of the same family raced with the replay and won.
                if (!replay.held.family.logoutRequested) {
                    assertThat(family.revocation().map(Revocation::reason))
                            .as("why the family of a reused token was revoked")
                            .contains(RevocationReason.REUSE_DETECTED);
                }
            }
        }
        assertThat(reused).as("replays that detected reuse").isPositive();

        // Every family is checked in memory; on a database a sample of 2,000, and SQL checks the rest below.
        List<Family> checked = new ArrayList<>(families.values());
        java.util.Collections.shuffle(checked);
        if (dataSource != null && checked.size() > 2000) {
            checked = checked.subList(0, 2000);
        }
        int revokedFamilies = 0;
        for (Family family : checked) {
            FamilyRecord stored = store.findFamily(family.id).orElseThrow();
            int usable = 0;
            for (Held held : family.tokens) {
                long generation = codec.parse(held.token).orElseThrow().generation();
                if (stored.acceptsCurrent(generation, codec.hash(held.token), end)) {
                    usable++;
                }
            }
            assertThat(usable).as("usable tokens of family %s", family.id).isLessThanOrEqualTo(1);
            if (stored.isRevoked()) {
                revokedFamilies++;
                for (Held held : family.tokens) {
                    try {
                        tokens.refresh(RefreshRequest.of(held.token).client(family.client).build());
                        violations.add("a token of revoked family " + family.id + " refreshed");
                    } catch (InvalidGrantException expected) {
                        assertThat(expected.reason()).isIn(InvalidGrantException.Reason.REVOKED,
                                InvalidGrantException.Reason.REUSED, InvalidGrantException.Reason.EXPIRED);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
        assertThat(revokedFamilies).isPositive();
        if (dataSource != null) {
            assertThat(scalar(dataSource, "SELECT COUNT(*) FROM " + prefix + "family"))
                    .as("rows of the family table").isEqualTo(families.size() + apiLogins.get());
        } else {
            assertThat((long) ((InMemoryTokenStore) store).familyCount()).as("families held")
                    .isEqualTo(families.size() + apiLogins.get());
        }
        System.out.printf("soak %s: %.1f s, %d operations, %d families (%d checked, %d of those revoked), %d replays"
                        + " (%d REUSED), clock moved %s%n", kind, ran.toMillis() / 1000.0, operations.get(), families.size(),
                checked.size(), revokedFamilies, replays.size(), reused,
                Duration.between(TestClock.fixed().instant(), end));

        // Past every family's absolute expiry (and every access token's), a purge empties the store.
        clock.advance(MAX_TTL.plusMinutes(1));
        tokens.purgeExpired();
        if (store instanceof InMemoryTokenStore memory) {
            assertThat(memory.familyCount()).isZero();
        } else {
            for (String table : List.of("family", "denied_jti")) {
                assertThat(scalar(dataSource, "SELECT COUNT(*) FROM " + prefix + table)).as(table + " rows")
                        .isZero();
            }
            TestDatabases.dropTables(dataSource, prefix);
        }
    }

    private static void refresh(TokenService tokens, TestClock clock, Pool pool, ThreadLocalRandom random,
                                AtomicLong sequence, List<String> violations) {
        Held held = pool.pick(random);
        if (held.rotatedBy.get() != null) {
            return;
        }
        long start = sequence.incrementAndGet();
        TokenPair next;
        try {
            next = tokens.refresh(RefreshRequest.of(held.token).client(held.family.client).build());
        } catch (InvalidGrantException e) {
            return; // rotated by another thread, revoked, or expired: all legitimate under contention
        }
        long revoked = held.family.revokedAtSequence.get();
        if (revoked != 0 && revoked < start) {
            violations.add("family " + held.family.id + " refreshed after its revocation completed");
        }
        Instant after = clock.instant();
        String successor = next.refreshToken().orElseThrow();
        if (!held.rotatedBy.compareAndSet(null, after)) {
            // Another thread rotated it first and this was a grace replay: the same successor.
            if (!successor.equals(held.successor.get()) && held.successor.get() != null) {
                violations.add("a grace replay returned a different successor");
            }
            return;
        }
        held.successor.set(successor);
        Held next1 = new Held(successor, held.family);
        held.family.tokens.add(next1);
        pool.add(next1);
    }

    private static void replay(TokenService tokens, TestClock clock, Pool pool, ThreadLocalRandom random,
                               List<Replay> replays, List<String> violations) {
        Held held = pool.pick(random);
        Instant rotatedBy = held.rotatedBy.get();
        if (rotatedBy == null || held.successor.get() == null) {
            return;
        }
        boolean outsideGrace = !clock.instant().isBefore(rotatedBy.plus(GRACE));
        String outcome;
        try {
            TokenPair again = tokens.refresh(RefreshRequest.of(held.token).client(held.family.client).build());
            outcome = "OK";
            if (outsideGrace) {
                violations.add("a rotated token refreshed outside the grace window");
            } else if (!again.refreshToken().orElseThrow().equals(held.successor.get())) {
                violations.add("a grace replay returned another successor");
            }
        } catch (InvalidGrantException e) {
            outcome = e.reason().name();
        }
        replays.add(new Replay(held, outsideGrace, outcome));
    }

    private static long scalar(DataSource dataSource, String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long value = rs.getLong(1);
            if (!c.getAutoCommit()) {
                c.commit();
            }
            return value;
        }
    }
}
