package dev.jeton.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import dev.jeton.store.redis.RedisTokenStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
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
 * Refresh throughput on the Redis store, at 1 and 8 threads, beside its baselines in the same run:
 * <ul>
 *   <li>{@code redisRefresh}: {@link TokenService#refresh} on a {@link RedisTokenStore} (one shared Lettuce
 *       connection), HS256 so that signing is negligible;</li>
 *   <li>{@code rawScript}: the store's own rotation script ({@code common.lua} and {@code rotate.lua}, read from its
 *       jar), run by {@code EVALSHA} over the same kind of connection on a family hash written directly: the Redis
 *       round trip of a refresh with nothing of Jeton around it;</li>
 *   <li>{@code jdbcRefresh}: {@link TokenService#refresh} on the JDBC store on PostgreSQL through HikariCP.</li>
 * </ul>
 * Methods suffixed {@code 8Threads} do the same on eight threads. Each thread rotates its own family and starts a new
 * login every 50 refreshes. {@code replicas > 0} adds {@code waitForReplicas(replicas, 1 s)} to the Redis store (point
 * {@code uri} at a primary that has replicas).
 *
 * <p>Needs Redis at {@code uri} (default {@code redis://127.0.0.1:6379}) and, for {@code jdbcRefresh}, PostgreSQL at
 * {@code 127.0.0.1:5432}, database {@code test}, user {@code postgres} without a password. Keys and tables get a
 * prefix of their own, removed at the end.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests -Djeton.skipPublishArtifacts=true && java -jar
 * benchmarks/target/benchmarks.jar RedisRefreshBenchmark -rf json -rff jmh-redis.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisRefreshBenchmark {

    /** The clock the baselines read, the one the services under test use (their default). */
    private static final Clock CLOCK = Clock.systemUTC();
    private static final int REFRESHES_PER_LOGIN = 50;
    private static final JwtKey KEY = JwtKey.generate("bench", JwsAlgorithm.HS256);

    @Param({"redis://127.0.0.1:6379"})
    public String uri;

    @Param({"0"})
    public int replicas;

    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisTokenStore redisStore;
    private TokenService redisTokens;
    private HikariDataSource pool;
    private TokenService jdbcTokens;
    private String prefix;
    private String rotateSha;
    private final AtomicInteger threadIds = new AtomicInteger();

    @Setup(Level.Trial)
    public void setUp() {
        prefix = "jb" + UUID.randomUUID().toString().substring(0, 8) + "_";
        client = RedisClient.create(uri);
        connection = client.connect();
        RedisTokenStore.Builder builder = RedisTokenStore.builder(connection).keyPrefix(prefix + ":");
        if (replicas > 0) {
            builder.waitForReplicas(replicas, Duration.ofSeconds(1));
        }
        redisStore = builder.build();
        redisTokens = service(redisStore);
        rotateSha = connection.sync().scriptLoad(script("common") + "\n" + script("rotate"));
    }

    private static TokenService service(TokenStore store) {
        return TokenService.builder().issuer("https://issuer.bench").audience("https://api.bench")
                .keys(KeyProvider.of(KEY)).store(store).refreshTokenIdleTtl(Duration.ofDays(14))
                .refreshTokenMaxTtl(Duration.ofDays(90)).build();
    }

    private static String script(String name) {
        try (InputStream in = RedisTokenStore.class.getResourceAsStream(name + ".lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized TokenService jdbc() {
        if (jdbcTokens == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
            config.setUsername("postgres");
            config.setMaximumPoolSize(10);
            pool = new HikariDataSource(config);
            jdbcTokens = service(JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build());
        }
        return jdbcTokens;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        RedisCommands<String, String> redis = connection.sync();
        for (String key : redis.keys(prefix + "*")) {
            redis.del(key);
        }
        connection.close();
        client.shutdown();
        if (pool != null) {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                for (String table : List.of("family", "denied_jti")) {
                    s.execute("DROP TABLE IF EXISTS " + prefix + table);
                }
            }
            pool.close();
        }
    }

    /** One thread's login, refreshed until it is replaced by a new one. */
    @State(Scope.Thread)
    public static class Chain {
        private String token;
        private int refreshes;
        private int logins;

        TokenPair next(TokenService tokens) {
            if (token == null || refreshes++ == REFRESHES_PER_LOGIN) {
                token = tokens.issue(IssueRequest.forSubject("bench-" + Thread.currentThread().getId() + "-"
                        + logins++).client("web").scopes("openid", "profile").build()).refreshToken().orElseThrow();
                refreshes = 0;
            }
            TokenPair pair = tokens.refresh(RefreshRequest.of(token).client("web").build());
            token = pair.refreshToken().orElseThrow();
            return pair;
        }
    }

    /** One thread's family for the raw script: a hash written directly, rotated by hashes from a seeded generator. */
    @State(Scope.Thread)
    public static class RawChain {
        private final SplittableRandom random = new SplittableRandom(42);
        private String familyBase;
        private String timelineKey;
        private String id;
        private String current;
        private long generation;
        private int refreshes = REFRESHES_PER_LOGIN;

        void next(RedisRefreshBenchmark bench) {
            RedisCommands<String, String> redis = bench.connection.sync();
            long now = CLOCK.millis();
            if (refreshes++ == REFRESHES_PER_LOGIN) {
                if (familyBase == null) {
                    String tag = "{raw" + bench.threadIds.incrementAndGet() + "}";
                    timelineKey = bench.prefix + tag + ":t";
                    familyBase = bench.prefix + tag + ":f:";
                }
                id = hash();
                current = hash();
                generation = 0;
                String key = familyBase + id;
                redis.hset(key, Map.of("s", "bench", "c", "web", "o", "openid profile", "j", "{}",
                        "ca", Long.toString(now), "ex", Long.toString(now + Duration.ofDays(90).toMillis()), "g", "0",
                        "h", current, "i", Long.toString(now + Duration.ofDays(14).toMillis())));
                redis.pexpireat(key, now + Duration.ofDays(90).toMillis());
                refreshes = 0;
            }
            String successor = hash();
            List<Object> answer = redis.evalsha(bench.rotateSha, ScriptOutputType.MULTI,
                    new String[] {familyBase + id, timelineKey}, id, Long.toString(generation), current, successor,
                    Long.toString(now + Duration.ofDays(14).toMillis()), Long.toString(now), "", "", "");
            if (!"A".equals(answer.get(0))) {
                throw new IllegalStateException("the raw rotation was refused");
            }
            current = successor;
            generation++;
        }

        private String hash() {
            StringBuilder text = new StringBuilder(43);
            for (int i = 0; i < 43; i++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            return text.toString();
        }
    }

    @Benchmark
    public TokenPair redisRefresh(Chain chain) {
        return chain.next(redisTokens);
    }

    @Benchmark
    @Threads(8)
    public TokenPair redisRefresh8Threads(Chain chain) {
        return chain.next(redisTokens);
    }

    @Benchmark
    public void rawScript(RawChain chain) {
        chain.next(this);
    }

    @Benchmark
    @Threads(8)
    public void rawScript8Threads(RawChain chain) {
        chain.next(this);
    }

    @Benchmark
    public TokenPair jdbcRefresh(Chain chain) {
        return chain.next(jdbc());
    }

    @Benchmark
    @Threads(8)
    public TokenPair jdbcRefresh8Threads(Chain chain) {
        return chain.next(jdbc());
    }
}
