package dev.jeton.benchmarks;

import dev.jeton.IssueRequest;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Heap retained by the in-memory store per live family (one record, however often it refreshes): heap used after a
 * full GC, before and after issuing {@code n} logins (the tokens returned are dropped), divided by {@code n}.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.FamilyFootprint 200000}
 */
public final class FamilyFootprint {

    private FamilyFootprint() {
    }

    public static void main(String[] args) throws InterruptedException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        InMemoryTokenStore store = new InMemoryTokenStore();
        TokenService tokens = TokenService.builder().issuer("https://auth.example.com")
                .audience("https://api.example.com").keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.HS256)))
                .store(store).build();
        IssueRequest warm = IssueRequest.forSubject("warm").client("web").scopes("openid", "profile").build();
        tokens.issue(warm);
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            tokens.issue(IssueRequest.forSubject("user-" + i).client("web").scopes("openid", "profile").build());
        }
        long after = usedAfterGc();
        System.out.printf("%d families: %.0f bytes retained per family (subject string included)%n",
                store.familyCount(), (after - before) / (double) n);
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
