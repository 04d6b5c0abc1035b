package dev.jeton.benchmarks;

import dev.jeton.client.AuthorizedHttpClient;
import dev.jeton.client.ClientAuthentication;
import dev.jeton.client.TokenEndpointClient;
import dev.jeton.client.TokenSet;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
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
 * What {@link AuthorizedHttpClient} adds to an API call when no refresh is due ({@code authorizedHttpClient}: read
 * the session, check the expiry, copy the request with the bearer header, inspect the status) beside the same GET
 * through the same {@link HttpClient} with the header set by hand ({@code bareHttpClient}, the baseline). Transport
 * {@code loopback}: the JDK's HTTP client and server over 127.0.0.1; {@code inProcess}: an {@link HttpClient} that
 * answers in the calling thread, which leaves only the client code's own cost.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar AuthorizedHttpClientBenchmark -f 1 -wi 2 -i 3 -rf json
 * -rff jmh-client.json}, then {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.Ratios
 * jmh-client.json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// The JDK's HTTP server answers headers and body in two writes; without TCP_NODELAY, Nagle's algorithm and the
// client's delayed ACK add about 40 ms to every exchange, which would hide everything measured here.
@Fork(value = 1, jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
public class AuthorizedHttpClientBenchmark {

    @Param({"loopback", "inProcess"})
    public String transport;

    private LoopbackServer server;
    private InProcessHttpClient inProcess;
    private HttpClient http;
    private AuthorizedHttpClient api;
    private HttpRequest plain;
    private HttpRequest withBearer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        server = new LoopbackServer(2);
        inProcess = new InProcessHttpClient();
        http = transport.equals("loopback") ? HttpClient.newHttpClient() : inProcess;
        TokenEndpointClient endpoint = TokenEndpointClient.builder(server.uri("/token"))
                .clientAuthentication(ClientAuthentication.basic("bench", "bench-secret")).httpClient(http).build();
        api = AuthorizedHttpClient.builder(endpoint).httpClient(http).build();
        TokenSet tokens = TokenSet.builder("at-0").refreshToken("rt-0")
                .expiresAt(Clock.systemUTC().instant().plusSeconds(24 * 3600)).build();
        api.signIn(tokens);
        plain = HttpRequest.newBuilder(server.uri("/api")).GET().build();
        withBearer = HttpRequest.newBuilder(server.uri("/api")).header("Authorization", "Bearer at-0").GET().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        server.close();
        if (server.grants() + inProcess.grants() != 0) {
            throw new IllegalStateException("the benchmark refreshed; it must not");
        }
    }

    @Benchmark
    public HttpResponse<byte[]> bareHttpClient() throws IOException, InterruptedException {
        return http.send(withBearer, HttpResponse.BodyHandlers.ofByteArray());
    }

    @Benchmark
    public HttpResponse<byte[]> authorizedHttpClient() throws IOException, InterruptedException {
        return api.send(plain, HttpResponse.BodyHandlers.ofByteArray());
    }
}
