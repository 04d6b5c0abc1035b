package dev.jeton.benchmarks;

import dev.jeton.client.AuthorizedHttpClient;
import dev.jeton.client.ClientAuthentication;
import dev.jeton.client.TokenEndpointClient;
import dev.jeton.client.TokenSet;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How single-flight scales with the number of callers that meet an expired access token together. One operation is
 * a round: {@code callers} threads, released by a latch, each send one API call through one
 * {@link AuthorizedHttpClient}, and the round ends when all have their response. In {@code roundWithRefresh} the
 * access token has expired before the round, so the callers wait for the single refresh request and then all send
 * with its token; in {@code roundWithoutRefresh} (the baseline) the token is valid. The difference is what one
 * round's refresh costs the callers; with single-flight it should not grow with their number. Transport
 * {@code loopback}: the JDK's HTTP client and server over 127.0.0.1; {@code inProcess}: an {@link HttpClient} that
 * answers in the calling thread, which leaves the cost of the coordination itself. The tear-down checks
 * that every round with a refresh sent exactly one refresh request.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar SingleFlightBenchmark -f 1 -wi 2 -i 3 -rf json
 * -rff jmh-singleflight.json}, then {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios
 * jmh-singleflight.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The JDK's HTTP server answers headers and body in two writes; without TCP_NODELAY, Nagle's algorithm and the
// client's delayed ACK add about 40 ms to every exchange, which would hide everything measured here.
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class SingleFlightBenchmark {

    @Param({"1", "4", "16", "64"})
    public int callers;

    @Param({"loopback", "inProcess"})
    public String transport;

    private LoopbackServer server;
    private InProcessHttpClient inProcess;
    private ExecutorService threads;
    private AuthorizedHttpClient api;
    private HttpRequest request;
    private final TestClock clock = TestClock.fixed();
    private int roundsWithRefresh;
    private int grantsBefore;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = new LoopbackServer(4);
        inProcess = new InProcessHttpClient();
        threads = Executors.newFixedThreadPool(callers);
        HttpClient http = transport.equals("loopback") ? HttpClient.newHttpClient() : inProcess;
        TokenEndpointClient endpoint = TokenEndpointClient.builder(server.uri("/token"))
                .clientAuthentication(ClientAuthentication.basic("bench", "bench-secret")).httpClient(http)
                .clock(clock).build();
        api = AuthorizedHttpClient.builder(endpoint).httpClient(http).clock(clock).build();
        api.signIn(TokenSet.builder("at-0").refreshToken("rt-0").expiresAt(clock.instant().plusSeconds(3600))
                .build());
        request = HttpRequest.newBuilder(server.uri("/api")).GET().build();
        grantsBefore = grants();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        threads.shutdownNow();
        server.close();
        int refreshes = grants() - grantsBefore;
        if (refreshes != roundsWithRefresh) {
            throw new IllegalStateException(roundsWithRefresh + " rounds with a refresh sent " + refreshes
                    + " refresh requests; single-flight must send exactly one per round");
        }
    }

    private int grants() {
        return server.grants() + inProcess.grants();
    }

    @Benchmark
    public int roundWithRefresh() throws Exception {
        clock.advance(Duration.ofHours(2));
        roundsWithRefresh++;
        return round();
    }

    @Benchmark
    public int roundWithoutRefresh() throws Exception {
        return round();
    }

    private int round() throws InterruptedException, ExecutionException {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>(callers);
        for (int i = 0; i < callers; i++) {
            calls.add(threads.submit(() -> {
                go.await();
                return api.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        go.countDown();
        int ok = 0;
        for (Future<Integer> call : calls) {
            ok += call.get() == 200 ? 1 : 0;
        }
        if (ok != callers) {
            throw new IllegalStateException((callers - ok) + " of " + callers + " calls failed");
        }
        return ok;
    }
}
