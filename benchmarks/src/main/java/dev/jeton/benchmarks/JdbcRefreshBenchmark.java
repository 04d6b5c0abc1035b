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
 * Refresh throughput on the JDBC store, through a HikariCP pool, at 1 and 8 threads:
 * <ul>
 *   <li>{@code jetonRefresh}: {@link TokenService#refresh} on a {@link JdbcTokenStore}, with an HS256 key so
 *       signing is negligible and the database dominates;</li>
 *   <li>{@code rawRefresh}, the baseline: plain JDBC running the statements Jeton runs for one refresh, with the same
 *       SQL on the same kind of pool and tables: the token-and-family lookup by hash (its own short transaction),
 *       then one transaction of the family lock ({@code SELECT … FOR UPDATE}), the conditional {@code UPDATE} that
 *       marks the presented token rotated, the {@code INSERT} of its successor, and the commit. Hashes and ids come
 *       from a seeded non-cryptographic generator, spread over the index like real hashes, so the baseline pays no
 *       cryptography and no JSON.</li>
 * </ul>
 * Methods suffixed {@code 8Threads} are the same work on eight threads. Each thread rotates its own chain and starts a
 * new login every 50 refreshes (for the baseline: the family and its first token inserted in one transaction), so
 * families stay the size real ones have and threads never contend for a family lock. Each trial gets its own table
 * prefix, dropped at the end.
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
    private static final Duration IDLE_TTL = Duration.ofDays(14);
    private static final Duration MAX_TTL = Duration.ofDays(90);
    private static final String CLIENT = "web";
    private static final String SCOPES = "openid profile";

    @Param({"H2", "POSTGRESQL"})
    public String database;

    private HikariDataSource pool;
    private String prefix;
    private TokenService service;
    private IssueRequest login;

    private String findToken;
    private String lockFamily;
    private String rotateToken;
    private String insertToken;
    private String insertFamily;

    @Setup(Level.Trial)
    public void setUp() {
        prefix = "bench_" + Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "_";
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(switch (database) {
            case "H2" -> "jdbc:h2:mem:" + prefix + ";DB_CLOSE_DELAY=-1";
            case "POSTGRESQL" -> "jdbc:postgresql://127.0.0.1:5432/test";
            default -> throw new IllegalArgumentException("unknown database " + database);
        });
        if (database.equals("POSTGRESQL")) {
            config.setUsername("postgres");
        }
        // Off in the pool, so neither side pays a setAutoCommit round trip per transaction.
        config.setAutoCommit(false);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(10);
        config.setPoolName("jdbc-refresh-" + database);
        pool = new HikariDataSource(config);

        JdbcTokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        service = TokenService.builder().issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(JwtKey.generate("bench", JwsAlgorithm.HS256))).store(store)
                .refreshTokenIdleTtl(IDLE_TTL).refreshTokenMaxTtl(MAX_TTL).build();
        login = IssueRequest.forSubject("user-123").client(CLIENT).scopes("openid", "profile").build();

        // The statements JdbcTokenStore runs for a refresh, word for word.
        String familyColumns = "f.id, f.subject, f.client_id, f.scopes, f.claims, f.created_at, f.expires_at, "
                + "f.revoked_at, f.revocation_reason";
        String tokenColumns = "t.hash, t.family_id, t.parent_hash, t.state, t.issued_at, t.idle_expires_at, "
                + "t.rotated_at, t.successor_hash, t.sealed_successor, t.grace_until, t.grace_uses";
        findToken = "SELECT " + tokenColumns + ", " + familyColumns + " FROM " + prefix + "token t JOIN " + prefix
                + "family f ON f.id = t.family_id WHERE t.hash = ?";
        lockFamily = "SELECT " + familyColumns + " FROM " + prefix + "family f WHERE f.id = ? FOR UPDATE";
        rotateToken = """
                UPDATE %stoken SET state = 'ROTATED', rotated_at = ?, successor_hash = ?,
                    sealed_successor = ?, grace_until = ?, grace_uses = 0
                WHERE hash = ? AND family_id = ? AND state = 'ACTIVE' AND idle_expires_at > ?""".formatted(prefix);
        insertToken = """
                INSERT INTO %stoken (hash, family_id, parent_hash, state, issued_at, idle_expires_at,
                    rotated_at, successor_hash, sealed_successor, grace_until, grace_uses)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(prefix);
        insertFamily = """
                INSERT INTO %sfamily (id, subject, client_id, scopes, claims, created_at, expires_at,
                    revoked_at, revocation_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""".formatted(prefix);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String table : new String[] {"token", "family", "denied_jti"}) {
                s.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
            c.commit();
        } finally {
            pool.close();
        }
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
        String presented = chain.hash;
        String familyId;
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(findToken)) {
                ps.setString(1, presented);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getString("state").equals("ACTIVE")
                            || !rs.getString("client_id").equals(CLIENT)) {
                        throw new IllegalStateException("token " + presented + " is not refreshable");
                    }
                    familyId = rs.getString("family_id");
                }
            }
            c.commit();
        }
        String successor = chain.hashes.next();
        long now = System.currentTimeMillis();
        try (Connection c = pool.getConnection()) {
            try {
                long familyExpires;
                try (PreparedStatement ps = c.prepareStatement(lockFamily)) {
                    ps.setString(1, familyId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalStateException("family " + familyId + " is gone");
                        }
                        rs.getLong("revoked_at");
                        boolean revoked = !rs.wasNull();
                        familyExpires = rs.getLong("expires_at");
                        if (revoked || familyExpires <= now) {
                            throw new IllegalStateException("family " + familyId + " is not live");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(rotateToken)) {
                    ps.setLong(1, now);
                    ps.setString(2, successor);
                    ps.setNull(3, Types.VARCHAR);
                    ps.setNull(4, Types.BIGINT);
                    ps.setString(5, presented);
                    ps.setString(6, familyId);
                    ps.setLong(7, now);
                    if (ps.executeUpdate() != 1) {
                        throw new IllegalStateException("token " + presented + " was not claimed");
                    }
                }
                insertActiveToken(c, successor, familyId, presented, now,
                        Math.min(now + IDLE_TTL.toMillis(), familyExpires));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        chain.hash = successor;
        return successor;
    }

    private void rawLogin(RawChain chain) throws SQLException {
        String familyId = chain.familyIds.next();
        String first = chain.hashes.next();
        long now = System.currentTimeMillis();
        long expires = now + MAX_TTL.toMillis();
        try (Connection c = pool.getConnection()) {
            try {
                try (PreparedStatement ps = c.prepareStatement(insertFamily)) {
                    ps.setString(1, familyId);
                    ps.setString(2, "user-123");
                    ps.setString(3, CLIENT);
                    ps.setString(4, SCOPES);
                    ps.setString(5, "{}");
                    ps.setLong(6, now);
                    ps.setLong(7, expires);
                    ps.setNull(8, Types.BIGINT);
                    ps.setNull(9, Types.VARCHAR);
                    ps.executeUpdate();
                }
                insertActiveToken(c, first, familyId, null, now, Math.min(now + IDLE_TTL.toMillis(), expires));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        chain.familyId = familyId;
        chain.hash = first;
    }

    private void insertActiveToken(Connection c, String hash, String familyId, String parent, long now,
                                   long idleExpires) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(insertToken)) {
            ps.setString(1, hash);
            ps.setString(2, familyId);
            ps.setString(3, parent);
            ps.setString(4, "ACTIVE");
            ps.setLong(5, now);
            ps.setLong(6, idleExpires);
            ps.setNull(7, Types.BIGINT);
            ps.setNull(8, Types.VARCHAR);
            ps.setNull(9, Types.VARCHAR);
            ps.setNull(10, Types.BIGINT);
            ps.setInt(11, 0);
            ps.executeUpdate();
        }
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
