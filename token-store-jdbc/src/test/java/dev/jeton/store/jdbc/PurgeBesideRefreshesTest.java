package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A purge running in a loop beside refreshes never makes a refresh fail: every purge statement is bounded by an index
 * and a batch size, in short transactions, so it neither scans and locks the token table nor deadlocks with rotations.
 * The purge has work on every pass: sealed successors whose grace window passed, logins past their absolute expiry,
 * and expired access-token denials, all created while the refreshes run.
 *
 * <p>The store is built with {@code maxAttempts(1)}: a refresh that meets a deadlock or a serialisation failure fails
 * instead of being retried, so the test sees every collision between the purge and a rotation, not only those that
 * outlast the retries. A bounded number of refreshes, not a duration, so it takes a few seconds on a quiet machine.
 */
class PurgeBesideRefreshesTest {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.HS256);
    private static final int REFRESHERS = 4;
    private static final int REFRESHES_EACH = 150;
    private static final int CHURN_PER_PASS = 4;

    private final TestClock clock = TestClock.fixed();
    private DataSource pool;
    private String prefix;

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    private TokenService service(TokenStore store, Duration idleTtl, Duration maxTtl) {
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).store(store).reuseGrace(Duration.ofSeconds(1))
                .accessTokenTtl(Duration.ofSeconds(30)).refreshTokenIdleTtl(idleTtl)
                .refreshTokenMaxTtl(maxTtl).build();
    }

    private static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("refreshes beside a purge loop never fail, and the purge never fails either")
    void refreshesBesideAPurgeLoopNeverFail(TestDatabases.Kind kind) throws Exception {
        pool = TestDatabases.pool(kind);
        prefix = TestDatabases.uniquePrefix();
        TokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true)
                .maxAttempts(1).build();
        TokenService tokens = service(store, Duration.ofDays(1), Duration.ofDays(90));
        TokenService shortLived = service(store, Duration.ofSeconds(30), Duration.ofSeconds(30));

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger refreshes = new AtomicInteger();
        AtomicInteger purgePasses = new AtomicInteger();
        AtomicInteger purged = new AtomicInteger();
        AtomicBoolean refreshing = new AtomicBoolean(true);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService executor = Executors.newFixedThreadPool(REFRESHERS + 1);
        try {
            List<Future<?>> refreshers = new ArrayList<>();
            for (int i = 0; i < REFRESHERS; i++) {
                TokenPair first = tokens.issue(IssueRequest.forSubject("user-" + i).client("web").build());
                refreshers.add(executor.submit(() -> {
                    go.await();
                    TokenPair pair = first;
                    for (int n = 0; n < REFRESHES_EACH; n++) {
                        try {
                            pair = tokens.refresh(refreshOf(pair));
                            refreshes.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.add("refresh: " + e);
                        }
                    }
                    return null;
                }));
            }
            Future<?> purger = executor.submit(() -> {
                go.await();
                while (refreshing.get()) {
                    try {
                        for (int i = 0; purgePasses.get() % 10 == 0 && i < CHURN_PER_PASS; i++) {
                            TokenPair churn = shortLived.issue(IssueRequest.forSubject("churn").client("web").build());
                            shortLived.refresh(refreshOf(churn));
                            shortLived.revoke(churn.accessToken());
                        }
                        clock.advance(Duration.ofSeconds(5));
                        purged.addAndGet(tokens.purgeExpired());
                        purgePasses.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add("purge loop: " + e);
                    }
                }
                return null;
            });
            go.countDown();
            for (Future<?> refresher : refreshers) {
                refresher.get(60, TimeUnit.SECONDS);
            }
            refreshing.set(false);
            purger.get(60, TimeUnit.SECONDS);
        } finally {
            executor.shutdownNow();
        }

        assertThat(failures).as("%d refreshes, %d purge passes deleting %d rows", refreshes.get(), purgePasses.get(),
                purged.get()).isEmpty();
        assertThat(refreshes.get()).isEqualTo(REFRESHERS * REFRESHES_EACH);
        assertThat(purgePasses.get()).isPositive();
        assertThat(purged.get()).isPositive();
    }
}
