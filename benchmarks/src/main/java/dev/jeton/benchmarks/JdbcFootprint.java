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
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bytes the JDBC store takes per login on PostgreSQL: the family table with its indexes and TOAST
 * ({@code pg_total_relation_size}) divided by the number of logins, after each login was refreshed once and after it
 * was refreshed {@code refreshes} times (default 1,000), on eight threads, as PostgreSQL's autovacuum leaves it, and
 * once more after a plain {@code VACUUM} (which a busy table gets from autovacuum anyway). Also prints the refresh rate
 * it saw.
 *
 * <p>Needs a server at {@code 127.0.0.1:5432}, database {@code test}, user {@code postgres} without a password.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.JdbcFootprint 2000 1000}
 * (logins, refreshes per login)
 */
public final class JdbcFootprint {

    private static final int THREADS = 8;

    private JdbcFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int logins = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int refreshes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        String prefix = "footprint_" + Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "_";
        HikariDataSource pool = JdbcRefreshBenchmark.pool("POSTGRESQL", "jdbc-footprint", prefix);
        try {
            JdbcTokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true)
                    .build();
            TokenService service = TokenService.builder().issuer("https://auth.example.com")
                    .audience("https://api.example.com")
                    .keys(KeyProvider.of(JwtKey.generate("bench", JwsAlgorithm.HS256))).store(store).build();
            String[] current = new String[logins];
            for (int i = 0; i < logins; i++) {
                current[i] = service.issue(IssueRequest.forSubject("user-" + i).client("web")
                        .scopes("openid", "profile").build()).refreshToken().orElseThrow();
            }
            report(pool, prefix, logins, "after the login", 0);
            refreshAll(service, current, 1);
            report(pool, prefix, logins, "after 1 refresh per login", 0);
            long start = System.nanoTime();
            refreshAll(service, current, refreshes - 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            report(pool, prefix, logins, "after " + refreshes + " refreshes per login",
                    (long) logins * (refreshes - 1) / seconds);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM " + prefix + "family");
            }
            report(pool, prefix, logins, "after " + refreshes + " refreshes per login and a VACUUM", 0);
        } finally {
            JdbcRefreshBenchmark.drop(pool, prefix);
        }
    }

    /** Refreshes every login {@code times} times, the logins split between the threads. */
    private static void refreshAll(TokenService service, String[] current, int times) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t;
                done.add(threads.submit(() -> {
                    for (int round = 0; round < times; round++) {
                        for (int i = first; i < current.length; i += THREADS) {
                            current[i] = service.refresh(RefreshRequest.of(current[i]).client("web").build())
                                    .refreshToken().orElseThrow();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    private static void report(HikariDataSource pool, String prefix, int logins, String when, double rate)
            throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + prefix + "family'),"
                     + " pg_relation_size('" + prefix + "family'), pg_indexes_size('" + prefix + "family'),"
                     + " (SELECT COUNT(*) FROM " + prefix + "family)")) {
            rs.next();
            System.out.printf("%-50s %7.0f bytes per login (heap %d, indexes %d bytes, %d rows for %d logins)%s%n",
                    when, rs.getLong(1) / (double) logins, rs.getLong(2), rs.getLong(3), rs.getLong(4), logins,
                    rate > 0 ? String.format(", %.0f refreshes/s", rate) : "");
        }
    }
}
