package dev.jeton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.jdbc.JdbcTokenStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * What the JDBC store costs on PostgreSQL per login and per refresh:
 * <ul>
 *   <li>bytes per login: the store's tables with their indexes and TOAST ({@code pg_total_relation_size}) divided by
 *       the number of logins, after each login was refreshed once and after it was refreshed {@code refreshes} times
 *       (default 1,000), as autovacuum leaves them, and once more after a plain {@code VACUUM};</li>
 *   <li>per refresh, over all but the first refresh of each login, on eight threads: the rate, and the CPU time spent
 *       in this JVM and in the PostgreSQL backends serving its pool (read from {@code /proc}, so the server must run
 *       on this machine), which stays meaningful on a machine other work keeps busy, where a rate does not.</li>
 * </ul>
 * A {@code <prefix>token} table is counted too when there is one, so the same program measures the previous layout
 * (one row per token) back to back.
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
            report(pool, prefix, logins, "after the login");
            refreshAll(service, current, 1);
            report(pool, prefix, logins, "after 1 refresh per login");
            List<Integer> backends = backendPids(pool);
            long cpu = cpuNanos(backends);
            long start = System.nanoTime();
            refreshAll(service, current, refreshes - 1);
            double seconds = (System.nanoTime() - start) / 1e9;
            long measured = (long) logins * (refreshes - 1);
            System.out.printf("%d refreshes in %.1f s: %.0f refreshes/s, %.1f µs of CPU per refresh (JVM and its %d"
                    + " PostgreSQL backends)%n", measured, seconds, measured / seconds,
                    (cpuNanos(backends) - cpu) / 1e3 / measured, backends.size());
            report(pool, prefix, logins, "after " + refreshes + " refreshes per login");
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                for (String table : tables(c, prefix)) {
                    s.execute("VACUUM " + table);
                }
            }
            report(pool, prefix, logins, "after " + refreshes + " refreshes per login and a VACUUM");
        } finally {
            try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + prefix + "token");
            }
            JdbcRefreshBenchmark.drop(pool, prefix);
        }
    }

    /** The process ids of the PostgreSQL backends behind every connection of the pool. */
    private static List<Integer> backendPids(HikariDataSource pool) throws SQLException {
        List<Connection> held = new ArrayList<>();
        List<Integer> pids = new ArrayList<>();
        try {
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                Connection c = pool.getConnection();
                held.add(c);
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    pids.add(rs.getInt(1));
                }
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        return pids;
    }

    /** CPU time of this JVM and of the given processes, in nanoseconds. */
    private static long cpuNanos(List<Integer> pids) throws IOException {
        long nanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        for (int pid : pids) {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // Fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            nanos += (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
        }
        return nanos;
    }

    /** The store's tables: the family table, and the token table of the previous layout if there is one. */
    private static List<String> tables(Connection c, String prefix) throws SQLException {
        List<String> tables = new ArrayList<>();
        for (String table : List.of(prefix + "family", prefix + "token")) {
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    tables.add(table);
                }
            }
        }
        return tables;
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

    private static void report(HikariDataSource pool, String prefix, int logins, String when) throws SQLException {
        long total = 0;
        long heap = 0;
        long indexes = 0;
        long rows = 0;
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            for (String table : tables(c, prefix)) {
                try (ResultSet rs = s.executeQuery("SELECT pg_total_relation_size('" + table + "'), pg_relation_size('"
                        + table + "'), pg_indexes_size('" + table + "'), (SELECT COUNT(*) FROM " + table + ")")) {
                    rs.next();
                    total += rs.getLong(1);
                    heap += rs.getLong(2);
                    indexes += rs.getLong(3);
                    rows += rs.getLong(4);
                }
            }
        }
        System.out.printf("%-55s %8.0f bytes per login (heap %d, indexes %d bytes, %d rows for %d logins)%n", when,
                total / (double) logins, heap, indexes, rows, logins);
    }
}
