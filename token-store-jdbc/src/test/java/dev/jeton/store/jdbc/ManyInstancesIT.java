package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTokenException;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two application instances, each with its own TokenService and connection pool, share one PostgreSQL database and
 * race refreshes, replays and revocations of the same families. Afterwards every invariant of the store design holds.
 */
class ManyInstancesIT {

    private static final JwtKey KEY = JwtKey.generate("shared", JwsAlgorithm.HS256);
    private static final int ROUNDS = 30;
    private static final int THREADS = 8;

    private final TestClock clock = TestClock.fixed();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private String prefix;
    private TokenService east;
    private TokenService west;

    @BeforeEach
    void twoInstances() {
        TestDatabases.requireReachable(TestDatabases.Kind.POSTGRESQL);
        prefix = TestDatabases.uniquePrefix();
        east = instance(true);
        west = instance(false);
    }

    private TokenService instance(boolean createSchema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.Kind.POSTGRESQL.url);
        config.setUsername(TestDatabases.Kind.POSTGRESQL.user);
        config.setPassword(TestDatabases.Kind.POSTGRESQL.password);
        config.setMaximumPoolSize(6);
        config.setAutoCommit(false);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).revocationAwareValidation(Duration.ZERO)
                .store(JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(createSchema).build())
                .build();
    }

    @AfterEach
    void close() throws SQLException {
        if (!pools.isEmpty()) {
            TestDatabases.dropTables(pools.get(0), prefix);
        }
        pools.forEach(HikariDataSource::close);
    }

    private static RefreshRequest refreshOf(String token) {
        return RefreshRequest.of(token).client("web").build();
    }

    @Test
    void racingRefreshesAcrossInstancesRotateExactlyOnce() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            TokenPair pair = east.issue(IssueRequest.forSubject("user-" + round).client("web").build());
            String token = pair.refreshToken().orElseThrow();
            List<Object> outcomes = race(i -> (i % 2 == 0 ? east : west).refresh(refreshOf(token)));

            assertThat(outcomes).filteredOn(TokenPair.class::isInstance).as("round %d", round).hasSize(1);
            assertThat(outcomes).filteredOn(InvalidGrantException.Reason.class::isInstance)
                    .containsOnly(InvalidGrantException.Reason.REUSED).hasSize(THREADS - 1);
            TokenPair winner = (TokenPair) outcomes.stream().filter(TokenPair.class::isInstance).findFirst()
                    .orElseThrow();
            assertRevokedEverywhere(winner);
        }
    }

    @Test
    void aRevocationOnOneInstanceRacingRefreshesOnTheOtherLeavesNothingUsable() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            TokenPair pair = west.issue(IssueRequest.forSubject("user-" + round).client("web").build());
            List<TokenPair> issued = new CopyOnWriteArrayList<>(List.of(pair));
            race(i -> {
                if (i == 0) {
                    east.revoke(pair.refreshToken().orElseThrow());
                    return "revoked";
                }
                if (i == 1) {
                    String current = pair.refreshToken().orElseThrow();
                    for (int step = 0; step < 5; step++) {
                        TokenPair next = west.refresh(refreshOf(current));
                        issued.add(next);
                        current = next.refreshToken().orElseThrow();
                    }
                    return "refreshed";
                }
                return (i % 2 == 0 ? east : west).introspect(pair.accessToken()).active();
            });
            for (TokenPair p : issued) {
                assertRevokedEverywhere(p);
            }
        }
    }

    @Test
    void withAGraceWindowConcurrentReplaysAcrossInstancesShareOneSuccessor() throws Exception {
        TokenService graceEast = instanceWithGrace();
        TokenService graceWest = instanceWithGrace();
        for (int round = 0; round < ROUNDS; round++) {
            TokenPair pair = graceEast.issue(IssueRequest.forSubject("user-" + round).client("web").build());
            String token = pair.refreshToken().orElseThrow();
            List<Object> outcomes = race(i -> (i % 2 == 0 ? graceEast : graceWest).refresh(refreshOf(token)));

            assertThat(outcomes).as("round %d", round).allMatch(TokenPair.class::isInstance);
            Set<String> successors = ConcurrentHashMap.newKeySet();
            outcomes.forEach(o -> successors.add(((TokenPair) o).refreshToken().orElseThrow()));
            assertThat(successors).hasSize(1);
            assertThat(graceWest.refresh(refreshOf(successors.iterator().next())).refreshToken()).isPresent();
        }
    }

    private TokenService instanceWithGrace() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.Kind.POSTGRESQL.url);
        config.setUsername(TestDatabases.Kind.POSTGRESQL.user);
        config.setPassword(TestDatabases.Kind.POSTGRESQL.password);
        config.setMaximumPoolSize(6);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).reuseGrace(Duration.ofSeconds(30)).reuseGraceUses(THREADS)
                .store(JdbcTokenStore.builder(pool).tablePrefix(prefix).build()).build();
    }

    /** No refresh token of the pair's family refreshes on either instance, and neither accepts its access token. */
    private void assertRevokedEverywhere(TokenPair pair) {
        for (TokenService instance : List.of(east, west)) {
            try {
                instance.refresh(refreshOf(pair.refreshToken().orElseThrow()));
                throw new AssertionError("a token of a revoked family refreshed");
            } catch (InvalidGrantException e) {
                assertThat(e.reason()).isIn(InvalidGrantException.Reason.REVOKED, InvalidGrantException.Reason.REUSED);
            }
            try {
                instance.validate(pair.accessToken());
                throw new AssertionError("an access token of a revoked family validated");
            } catch (InvalidTokenException e) {
                assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED);
            }
        }
    }

    @FunctionalInterface
    private interface Task {
        Object run(int index) throws Exception;
    }

    /** Runs the task on THREADS threads released together; a grant failure is returned as its reason. */
    private static List<Object> race(Task task) throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch ready = new CountDownLatch(THREADS);
            List<Future<Object>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return task.run(index);
                    } catch (InvalidGrantException e) {
                        return e.reason();
                    }
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Object> results = new ArrayList<>();
            for (Future<Object> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            executor.shutdownNow();
        }
    }
}
