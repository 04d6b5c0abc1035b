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
import dev.jeton.store.jdbc.JdbcTokenStore;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Refresh throughput on the JDBC store, through a HikariCP pool (its defaults: autocommit on), at 1 and 8 threads:
 * <ul>
 *   <li>{@code jetonRefresh}: {@link TokenService#refresh} on a {@link JdbcTokenStore}, with an HS256 key so
 *       signing is negligible and the database dominates;</li>
 *   <li>{@code rawRefresh}, the baseline: plain JDBC running the one statement Jeton runs for a refresh of a session
 *       it knows, with the same SQL on the same kind of pool and table: the conditional {@code UPDATE} of the family
 *       row by primary key ({@code … RETURNING} on PostgreSQL, {@code SELECT … FROM FINAL TABLE (UPDATE …)} on H2),
 *       in autocommit. Hashes and ids come from a seeded non-cryptographic generator, spread over the index like real
 *       hashes, so the baseline pays no cryptography and no JSON.</li>
 * </ul>
 * Methods suffixed {@code 8Threads} are the same work on eight threads. Each thread rotates its own chain and starts a
 * new login every 50 refreshes (for the baseline: the family row inserted), so threads never wait for each other's
 * rows. Each trial gets its own table prefix, dropped at the end.
 *
 * <p>{@code database=POSTGRESQL} needs a server at {@code 127.0.0.1:5432}, database {@code test}, user
 * {@code postgres} without a password (trust authentication); {@code H2} runs in memory.
 *
 * <p>JMH runs the trials one after another in name order, all of Jeton's before the baseline's, so on a shared machine
 * load that comes and goes lands on one side of a ratio: compare runs before trusting one.
 *
 * <p>Run: {@code ./mvnw -q -pl benchmarks -am package -DskipTests -Djeton.skipPublishArtifacts=true && java -jar
 * benchmarks/target/benchmarks.jar JdbcRefreshBenchmark -rf json -rff jmh-jdbc.json}, then
 * {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios jmh-jdbc.json}
 * (add {@code -p database=H2} to skip PostgreSQL).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JdbcRefreshBenchmark {

    private static final int REFRESHES_PER_LOGIN = 50;
    /** The clock the baselines read, the one the services under test use (their default). */
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Duration IDLE_TTL = Duration.ofDays(14);
    private static final Duration MAX_TTL = Duration.ofDays(90);
    private static final String CLIENT = "web";
    private static final String SCOPES = "openid profile";
    private static final String COLUMNS = "id, subject, client_id, scopes, claims_json, created_at, expires_at, "
            + "generation, current_hash, idle_expires_at, previous_hash, sealed_successor, grace_until, grace_uses, "
            + "revoked_at, revocation_reason";

    @Param({"H2", "POSTGRESQL"})
    public String database;

    private HikariDataSource pool;
    private String prefix;
    private TokenService service;
    private IssueRequest login;

    private String rotate;
    private String insertFamily;

    @Setup(Level.Trial)
    public void setUp() {
        prefix = "bench_" + Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "_";
        pool = pool(database, "jdbc-refresh-" + database, prefix);

        JdbcTokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        service = TokenService.builder().issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(JwtKey.generate("bench", JwsAlgorithm.HS256))).store(store)
                .refreshTokenIdleTtl(IDLE_TTL).refreshTokenMaxTtl(MAX_TTL).build();
        login = IssueRequest.forSubject("user-123").client(CLIENT).scopes("openid", "profile").build();

        // The statement JdbcTokenStore runs for a refresh, word for word.
        String update = """
                UPDATE %sfamily SET generation = generation + 1, current_hash = ?, idle_expires_at = ?,
                    previous_hash = ?, sealed_successor = ?, grace_until = ?, grace_uses = 0
                WHERE id = ? AND generation = ? AND current_hash = ? AND revoked_at IS NULL AND expires_at > ? \
                AND idle_expires_at > ?""".formatted(prefix);
        rotate = database.equals("H2") ? "SELECT " + COLUMNS + " FROM FINAL TABLE (" + update + ")"
                : update + "\nRETURNING " + COLUMNS;
        insertFamily = """
                INSERT INTO %sfamily (id, subject, client_id, scopes, claims_json, created_at, expires_at,
                    generation, current_hash, idle_expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)""".formatted(prefix);
    }

    /** A pool on the database with HikariCP's defaults (autocommit on) and ten connections. */
    static HikariDataSource pool(String database, String name, String prefix) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(switch (database) {
            case "H2" -> "jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1";
            case "POSTGRESQL" -> "jdbc:postgresql://127.0.0.1:5432/test";
            default -> throw new IllegalArgumentException("unknown database " + database);
        });
        if (database.equals("POSTGRESQL")) {
            config.setUsername("postgres");
        }
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(10);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    /** Drops the store's tables and closes the pool. */
    static void drop(HikariDataSource pool, String prefix) throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {"family", "denied_jti"}) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        } finally {
            pool.close();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        drop(pool, prefix);
    }

    /** One rotating Jeton chain per thread. */
    @State(Scope.Thread)
    public static class JetonChain {
        TokenPair current;
        int used;
    }

    /** One rotating baseline chain per thread, with its own cheap source of hashes and ids. */
    @State(Scope.Thread)
    public static class RawChain {
        CheapIds hashes;
        CheapIds familyIds;
        String familyId;
        String hash;
        long generation;
        long expiresAt;
        int used;

        @Setup(Level.Trial)
        public void setUp() {
            SecureRandom random = new SecureRandom();
            hashes = new CheapIds(43, random);
            familyIds = new CheapIds(22, random);
        }
    }

    @Benchmark
    public TokenPair jetonRefresh(JetonChain chain) {
        return jeton(chain);
    }

    @Benchmark
    @Threads(8)
    public TokenPair jetonRefresh8Threads(JetonChain chain) {
        return jeton(chain);
    }

    @Benchmark
    public String rawRefresh(RawChain chain) throws SQLException {
        return raw(chain);
    }

    @Benchmark
    @Threads(8)
    public String rawRefresh8Threads(RawChain chain) throws SQLException {
        return raw(chain);
    }

    private TokenPair jeton(JetonChain chain) {
        if (chain.current == null || ++chain.used == REFRESHES_PER_LOGIN) {
            chain.current = service.issue(login);
            chain.used = 0;
        }
        chain.current = service.refresh(RefreshRequest.of(chain.current.refreshToken().orElseThrow())
                .client(CLIENT).build());
        return chain.current;
    }

    private String raw(RawChain chain) throws SQLException {
        if (chain.hash == null || ++chain.used == REFRESHES_PER_LOGIN) {
            rawLogin(chain);
            chain.used = 0;
        }
        String successor = chain.hashes.next();
        long now = CLOCK.millis();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(rotate)) {
            ps.setString(1, successor);
            ps.setLong(2, Math.min(now + IDLE_TTL.toMillis(), chain.expiresAt));
            ps.setNull(3, Types.VARCHAR);
            ps.setNull(4, Types.VARCHAR);
            ps.setNull(5, Types.BIGINT);
            ps.setString(6, chain.familyId);
            ps.setLong(7, chain.generation);
            ps.setString(8, chain.hash);
            ps.setLong(9, now);
            ps.setLong(10, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getString("client_id").equals(CLIENT)) {
                    throw new IllegalStateException("family " + chain.familyId + " did not rotate");
                }
            }
        }
        chain.generation++;
        chain.hash = successor;
        return successor;
    }

    private void rawLogin(RawChain chain) throws SQLException {
        String familyId = chain.familyIds.next();
        String first = chain.hashes.next();
        long now = CLOCK.millis();
        long expires = now + MAX_TTL.toMillis();
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(insertFamily)) {
            ps.setString(1, familyId);
            ps.setString(2, "user-123");
            ps.setString(3, CLIENT);
            ps.setString(4, SCOPES);
            ps.setString(5, "{}");
            ps.setLong(6, now);
            ps.setLong(7, expires);
            ps.setString(8, first);
            ps.setLong(9, Math.min(now + IDLE_TTL.toMillis(), expires));
            ps.executeUpdate();
        }
        chain.familyId = familyId;
        chain.hash = first;
        chain.generation = 0;
        chain.expiresAt = expires;
    }

    /**
     * Random base64url strings of a fixed length without cryptography: a {@link SplittableRandom} seeded once from
     * {@link SecureRandom}. Uniformly spread like the SHA-256 hashes Jeton stores, so the baseline's index inserts and
     * lookups land all over the index as Jeton's do (a counter would keep them on a few hot pages); 6 bits a character
     * make collisions as unlikely as between real hashes.
     */
    static final class CheapIds {
        private static final char[] ALPHABET =
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

        private final char[] buffer;
        private final SplittableRandom random;

        CheapIds(int length, SecureRandom seed) {
            buffer = new char[length];
            random = new SplittableRandom(seed.nextLong());
        }

        String next() {
            long bits = 0;
            for (int i = 0; i < buffer.length; i++) {
                if (i % 10 == 0) {
                    bits = random.nextLong();
                }
                buffer[i] = ALPHABET[(int) (bits & 63)];
                bits >>>= 6;
            }
            return new String(buffer);
        }
    }
}
