package dev.jeton.benchmarks;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A refresh on the in-memory store ({@code jetonRefresh}: shape check, hash, lookup, client and scope checks, atomic
 * rotation, a new refresh token, a new access token) beside the cost of issuing one access token with the same key
 * ({@code issueAccessToken}, the baseline): the difference is what refresh-token handling adds. Each thread rotates
 * its own chain and starts a new login every 100 refreshes, so families stay the size real ones have; logins expire
 * after two seconds, so the store's amortised purge holds it at a steady size.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar RefreshBenchmark -rf json -rff jmh-refresh.json}, then
 * {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios jmh-refresh.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RefreshBenchmark {

    @Param({"ES256", "HS256"})
    public String algorithm;

    private TokenService withStore;
    private TokenService accessOnly;
    private IssueRequest request;

    @Setup(Level.Trial)
    public void setUp() {
        JwtKey key = JwtKey.generate("bench", JwsAlgorithm.valueOf(algorithm));
        withStore = TokenService.builder().issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(key)).store(new InMemoryTokenStore())
                // Short lives so the store's own purge keeps it at a steady size during the run.
                .refreshTokenIdleTtl(Duration.ofSeconds(1)).refreshTokenMaxTtl(Duration.ofSeconds(2)).build();
        accessOnly = TokenService.builder().issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(key)).build();
        request = IssueRequest.forSubject("user-123").client("web").scopes("openid", "profile").build();
    }

    /** One rotating chain per thread. */
    @State(Scope.Thread)
    public static class Chain {
        TokenPair current;
        int used;
    }

    @Benchmark
    public TokenPair jetonRefresh(Chain chain) {
        if (chain.current == null || ++chain.used == 100) {
            chain.current = withStore.issue(request);
            chain.used = 0;
        }
        chain.current = withStore.refresh(RefreshRequest.of(chain.current.refreshToken().orElseThrow())
                .client("web").build());
        return chain.current;
    }

    @Benchmark
    public TokenPair issueAccessToken() {
        return accessOnly.issue(request);
    }
}
