package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.client.AuthorizedHttpClient;
import dev.jeton.client.ClientAuthentication;
import dev.jeton.client.LogoutReason;
import dev.jeton.client.NaiveRefresh;
import dev.jeton.client.TokenEndpointClient;
import dev.jeton.testing.TestClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * token-client against the demo server over real HTTP, with Jeton's default strict rotation and no grace window: at
 * the moment the access token expires, 64 API calls arrive together, released by a latch, 50 rounds in a row. With
 * single-flight, each round costs exactly one refresh request and every call succeeds; without it, the same load
 * makes the server see a retired refresh token, and reuse detection ends the login.
 */
class SingleFlightAgainstDemoServerTest {

    private static final int CALLERS = 64;
    private static final int ROUNDS = 50;

    /** Who notices the expiry first. */
    enum Expiry {
        /** The client shares the server's clock and renews before sending. */
        CLIENT_SEES_IT,
        /** The client's clock lags; it sends the expired token, gets 401 invalid_token, refreshes and retries. */
        ONLY_THE_SERVER_SEES_IT
    }

    /** What one round did. */
    record Round(int refreshRequests, int succeeded, List<Throwable> failures) {
    }

    private final TestClock serverClock = TestClock.at(Clock.systemUTC().instant());
    private final List<LogoutReason> logouts = new CopyOnWriteArrayList<>();
    private final ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    private DemoServer server;

    @BeforeEach
    void start() throws Exception {
        server = DemoServer.start(DemoServer.Config.defaults().withClock(serverClock),
                "jeton_sf_" + System.nanoTime() % 100000 + "_");
    }

    @AfterEach
    void stop() {
        callers.shutdownNow();
        server.close();
    }

    @SuppressWarnings("deprecation")
    private AuthorizedHttpClient signedIn(Expiry expiry, UnaryOperator<AuthorizedHttpClient.Builder> variant)
            throws Exception {
        Clock clientClock = expiry == Expiry.CLIENT_SEES_IT ? serverClock : TestClock.at(serverClock.instant());
        TokenEndpointClient endpoint = TokenEndpointClient.builder(uri("/oauth/token"))
                .clientAuthentication(ClientAuthentication.basic("web", "web-secret"))
                .clock(clientClock)
                .build();
        AuthorizedHttpClient api = variant.apply(AuthorizedHttpClient.builder(endpoint)
                .clock(clientClock)
                .listener(logouts::add)).build();
        api.signIn(endpoint.password("alice", "wonderland", Set.of("openid", "profile")));
        return api;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Moves the server's clock to the access token's expiry, then releases the callers together. */
    private Round round(AuthorizedHttpClient api) throws Exception {
        serverClock.advance(Duration.ofMinutes(15));
        int refreshesBefore = server.refreshRequests();
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(callers.submit(() -> {
                ready.countDown();
                go.await();
                return api.send(HttpRequest.newBuilder(uri("/api/me")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            }));
        }
        ready.await();
        go.countDown();
        int succeeded = 0;
        List<Throwable> failures = new ArrayList<>();
        for (Future<Integer> call : calls) {
            try {
                if (call.get() == 200) {
                    succeeded++;
                } else {
                    failures.add(new AssertionError("HTTP " + call.get()));
                }
            } catch (java.util.concurrent.ExecutionException e) {
                failures.add(e.getCause());
            }
        }
        return new Round(server.refreshRequests() - refreshesBefore, succeeded, failures);
    }

    private void assertOneRefreshAndAllSucceeded(Round round) {
        assertThat(round.failures()).isEmpty();
        assertThat(round.succeeded()).isEqualTo(CALLERS);
        assertThat(round.refreshRequests()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Expiry.class)
    void sixtyFourCallsAtExpiryCauseExactlyOneRefreshRoundAfterRound(Expiry expiry) throws Exception {
        AuthorizedHttpClient api = signedIn(expiry, UnaryOperator.identity());

        for (int i = 1; i <= ROUNDS; i++) {
            Round round = round(api);
            assertThat(round).as("round %d", i).satisfies(this::assertOneRefreshAndAllSucceeded);
        }

        assertThat(logouts).isEmpty();
        assertThat(server.tokens().sessions("alice")).hasSize(1);
        assertThat(server.refreshRequests()).isEqualTo(ROUNDS);
    }

    @ParameterizedTest
    @EnumSource(Expiry.class)
    void withoutSingleFlightTheSameLoadLogsTheUserOut(Expiry expiry) throws Exception {
        AuthorizedHttpClient api = signedIn(expiry, NaiveRefresh::withoutSingleFlight);

        List<Round> rounds = new ArrayList<>();
        for (int i = 1; i <= ROUNDS && logouts.isEmpty(); i++) {
            rounds.add(round(api));
        }

        assertThat(logouts).containsExactly(LogoutReason.INVALID_GRANT);
        assertThat(server.tokens().sessions("alice")).isEmpty();
        Round last = rounds.get(rounds.size() - 1);
        assertThat(last.refreshRequests()).isGreaterThan(1);
        assertThatThrownBy(() -> assertOneRefreshAndAllSucceeded(last)).isInstanceOf(AssertionError.class);
        assertThat(api.tokens()).isEmpty();
    }
}
