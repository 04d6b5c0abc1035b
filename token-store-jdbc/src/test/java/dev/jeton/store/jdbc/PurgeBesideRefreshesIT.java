package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A purge running in a loop beside refreshes never makes one fail: it deletes expired families and drops passed grace
 * windows by primary key in short transactions, locking only the rows it changes (on MariaDB under REPEATABLE READ, a
 * range {@code UPDATE} used to lock the whole table and deadlock with rotations).
 */
class PurgeBesideRefreshesIT {

    private static final int EXPIRED = 1_500;
    private static final int PASSED_GRACE = 200;
    private static final int REFRESHERS = 4;
    private static final int LOGINS_PER_REFRESHER = 4;
    private static final int REFRESHES_PER_REFRESHER = 150;
    private static final Duration MAX_TTL = Duration.ofHours(1);

    private final TestClock clock = TestClock.fixed();
    private DataSource pool;
    private String prefix;

    static Stream<Arguments> databases() {
        return Stream.of(TestDatabases.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, true), Arguments.of(kind, false)));
    }

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("refreshes beside a purge loop all succeed, and the purge removes what it should")
    void refreshesBesideAPurgeLoopAllSucceed(TestDatabases.Kind kind, boolean autoCommit) throws Exception {
        pool = TestDatabases.pool(kind, autoCommit);
        prefix = TestDatabases.uniquePrefix();
        JdbcTokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.HS256))).clock(clock).store(store)
                .reuseGrace(Duration.ofSeconds(5)).refreshTokenIdleTtl(Duration.ofMinutes(30))
                .refreshTokenMaxTtl(MAX_TTL).build();
        for (int i = 0; i < EXPIRED; i++) {
            tokens.issue(IssueRequest.forSubject("gone-" + i).client("web").build());
        }
        clock.advance(MAX_TTL.minusSeconds(30));
        for (int i = 0; i < PASSED_GRACE; i++) {
            TokenPair pair = tokens.issue(IssueRequest.forSubject("graced-" + i).client("web").build());
            tokens.refresh(refreshOf(pair.refreshToken().orElseThrow()));
        }
        clock.advance(Duration.ofMinutes(1));
        List<String> current = new ArrayList<>();
        for (int i = 0; i < REFRESHERS * LOGINS_PER_REFRESHER; i++) {
            current.add(tokens.issue(IssueRequest.forSubject("live-" + i).client("web").build()).refreshToken()
                    .orElseThrow());
        }

        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicBoolean refreshing = new AtomicBoolean(true);
        AtomicInteger purgedMeanwhile = new AtomicInteger();
        AtomicInteger purgesMeanwhile = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(REFRESHERS + 1);
        try {
            Future<?> purger = threads.submit(() -> {
                go.await();
                while (refreshing.get()) {
                    purgedMeanwhile.addAndGet(store.purgeExpired(clock.instant(), 50));
                    purgesMeanwhile.incrementAndGet();
                }
                return null;
            });
            List<Future<?>> refreshers = new ArrayList<>();
            for (int r = 0; r < REFRESHERS; r++) {
                int first = r * LOGINS_PER_REFRESHER;
                refreshers.add(threads.submit(() -> {
                    go.await();
                    for (int i = 0; i < REFRESHES_PER_REFRESHER; i++) {
                        int login = first + i % LOGINS_PER_REFRESHER;
                        try {
                            current.set(login, tokens.refresh(refreshOf(current.get(login))).refreshToken()
                                    .orElseThrow());
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> refresher : refreshers) {
                refresher.get(120, TimeUnit.SECONDS);
            }
            refreshing.set(false);
            purger.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        System.out.printf("%s, autocommit %s: %d refreshes, %d failed, beside %d purges that changed %d rows%n", kind,
                autoCommit, REFRESHERS * REFRESHES_PER_REFRESHER, failures.size(), purgesMeanwhile.get(),
                purgedMeanwhile.get());

        assertThat(failures).isEmpty();
        assertThat(purgedMeanwhile.get()).as("rows the purge changed while refreshes ran").isPositive();
        while (store.purgeExpired(clock.instant(), 1_000) > 0) {
            Thread.onSpinWait();
        }
        assertThat(TestDatabases.rowCount(pool, prefix + "family")).isEqualTo(PASSED_GRACE
                + REFRESHERS * LOGINS_PER_REFRESHER);
        assertThat(TestDatabases.rowCount(pool, prefix + "family WHERE grace_until <= "
                + clock.instant().toEpochMilli())).isZero();
        for (String token : current) {
            assertThat(tokens.refresh(refreshOf(token)).refreshToken()).isPresent();
        }
    }

    private static RefreshRequest refreshOf(String token) {
        return RefreshRequest.of(token).client("web").build();
    }
}
