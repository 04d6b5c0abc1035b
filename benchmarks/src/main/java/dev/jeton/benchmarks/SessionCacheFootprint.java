package dev.jeton.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.IssueRequest;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.jdbc.JdbcTokenStore;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap the service's session cache holds per login: the same logins issued into a PostgreSQL store (which keeps
 * nothing on the heap) by a service with the cache off and by one whose cache holds them all, heap used after a full
 * GC each time, the difference divided by the number of logins. The logins are those of {@code JdbcLoginsBenchmark}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.SessionCacheFootprint 100000}
 */
public final class SessionCacheFootprint {

    private SessionCacheFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String prefix = "bench_" + Long.toString(new SecureRandom().nextLong() >>> 1, 36) + "_";
        HikariDataSource pool = JdbcRefreshBenchmark.pool("POSTGRESQL", "session-cache", prefix);
        try {
            JdbcTokenStore store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true)
                    .build();
            KeyProvider keys = KeyProvider.of(JwtKey.generate("bench", JwsAlgorithm.HS256));
            List<TokenService> kept = new ArrayList<>();
            long[] used = new long[2];
            int[] sizes = {0, n};
            for (int run = 0; run < 2; run++) {
                TokenService service = TokenService.builder().issuer("https://auth.example.com")
                        .audience("https://api.example.com").keys(keys).store(store).sessionCache(sizes[run]).build();
                service.issue(IssueRequest.forSubject("warm").client("web").scopes("openid", "profile").build());
                long before = usedAfterGc();
                for (int i = 0; i < n; i++) {
                    service.issue(IssueRequest.forSubject("user-" + run + "-" + i).client("web")
                            .scopes("openid", "profile").build());
                }
                used[run] = usedAfterGc() - before;
                kept.add(service);
            }
            System.out.printf("%d logins: %.0f bytes per login with sessionCache(0), %.0f with sessionCache(%d):"
                    + " the cache holds %.0f bytes per session%n", n, used[0] / (double) n, used[1] / (double) n, n,
                    (used[1] - used[0]) / (double) n);
            if (Boolean.getBoolean("pause")) { // -Dpause=true: time for jcmd <pid> GC.class_histogram
                Thread.sleep(30_000);
            }
            System.out.println(kept.size() + " services kept alive to the end");
        } finally {
            JdbcRefreshBenchmark.drop(pool, prefix);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
