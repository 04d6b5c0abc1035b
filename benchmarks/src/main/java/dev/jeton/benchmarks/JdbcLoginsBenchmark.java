package dev.jeton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.jdbc.JdbcTokenStore;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Refresh throughput on PostgreSQL with many logins alive, on eight threads: {@code logins} logins are issued first,
 * split between the threads, and each thread refreshes its logins in turn, so every refresh rotates a different login
 * than the one before and the table and its indexes are as large as that many users make them. The service is built
 * with public options only (no session cache size), so the same class measures any version of Jeton.
 *
 * <p>Needs a server at {@code 127.0.0.1:5432}, database {@code test}, user {@code postgres} without a password.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar JdbcLoginsBenchmark -p logins=10000,100000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
@Threads(8)
public class JdbcLoginsBenchmark {

    private static final int THREADS = 8;

    @Param({"10000", "100000"})
    public int logins;

    private HikariDataSource pool;
    private String prefix;
    private TokenService service;
    /** The current refresh token of each login; each thread owns every eighth slot. */
    private String[] current;
    private final AtomicInteger threadIndex = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        prefix = "bench_" + Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "_";
        pool = JdbcRefreshBenchmark.pool("POSTGRESQL", "jdbc-logins", prefix);
        JdbcTokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        service = TokenService.builder().issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(JwtKey.generate("bench", JwsAlgorithm.HS256))).store(store).build();
        current = new String[logins];
        for (int i = 0; i < logins; i++) {
            current[i] = service.issue(IssueRequest.forSubject("user-" + i).client("web")
                    .scopes("openid", "profile").build()).refreshToken().orElseThrow();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        JdbcRefreshBenchmark.drop(pool, prefix);
    }

    /** Which logins a thread refreshes, and the next one. */
    @State(Scope.Thread)
    public static class Turn {
        int next = -1;
    }

    @Benchmark
    public String refresh(Turn turn) {
        if (turn.next < 0) {
            turn.next = threadIndex.getAndIncrement() % THREADS;
        }
        int login = turn.next;
        turn.next = login + THREADS < logins ? login + THREADS : login % THREADS;
        String next = service.refresh(RefreshRequest.of(current[login]).client("web").build()).refreshToken()
                .orElseThrow();
        current[login] = next;
        return next;
    }
}
