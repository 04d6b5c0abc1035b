package dev.jeton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.testing.TestClock;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthorizedHttpClientTest {

    private final TestClock clock = TestClock.fixed();
    private final List<LogoutReason> logouts = new CopyOnWriteArrayList<>();
    private final List<RefreshTrigger> refreshes = new CopyOnWriteArrayList<>();
    private final InMemoryTokenStorage storage = new InMemoryTokenStorage();
    private StubServer server;
    private AuthorizedHttpClient api;

    @BeforeEach
    void start() throws Exception {
        server = new StubServer(clock);
        api = client(server.uri("/token"), true);
        api.signIn(server.login());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private AuthorizedHttpClient client(URI tokenEndpoint, boolean singleFlight) {
        TokenEndpointClient endpoint = TokenEndpointClient.builder(tokenEndpoint)
                .clientAuthentication(ClientAuthentication.basic("app", "app-secret"))
                .timeout(Duration.ofSeconds(5))
                .clock(clock)
                .build();
        return AuthorizedHttpClient.builder(endpoint).storage(storage).clock(clock)
                .refreshSkew(Duration.ofSeconds(30))
                .listener(new SessionListener() {
                    @Override
                    public void loggedOut(LogoutReason reason) {
                        logouts.add(reason);
                    }

                    @Override
                    public void refreshing(RefreshTrigger trigger) {
                        refreshes.add(trigger);
                    }
                })
                .singleFlight(singleFlight)
                .build();
    }

    /** A client whose clock stands still: it thinks its token is fresh, the server says it expired. */
    private AuthorizedHttpClient lagging() {
        return AuthorizedHttpClient.builder(TokenEndpointClient.builder(server.uri("/token"))
                .clientAuthentication(ClientAuthentication.basic("app", "app-secret")).clock(clock).build())
                .storage(storage).clock(TestClock.fixed()).build();
    }

    private HttpRequest get() {
        return HttpRequest.newBuilder(server.uri("/api")).build();
    }

    private HttpResponse<String> call() throws Exception {
        return api.send(get(), HttpResponse.BodyHandlers.ofString());
    }

    /** Makes {@code count} calls released together by a latch; each one's failure, or null for a response. */
    private List<Throwable> together(int count) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Throwable>> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                results.add(callers.submit(() -> {
                    go.await();
                    try {
                        call();
                        return null;
                    } catch (TokenClientException e) {
                        return e;
                    }
                }));
            }
            go.countDown();
            List<Throwable> outcomes = new ArrayList<>();
            for (Future<Throwable> result : results) {
                outcomes.add(result.get());
            }
            return outcomes;
        } finally {
            callers.shutdown();
        }
    }

    @Test
    void attachesTheAccessTokenAsBearer() throws Exception {
        assertThat(call().statusCode()).isEqualTo(200);

        assertThat(server.apiAuthorizations).containsExactly("Bearer at-1");
        assertThat(server.refreshRequests).hasValue(0);
    }

    @Test
    void refreshesBeforeExpiryWithoutWaitingForA401() throws Exception {
        clock.advance(Duration.ofMinutes(5).minusSeconds(30));   // inside the 30 s skew, not yet expired

        assertThat(call().statusCode()).isEqualTo(200);

        assertThat(server.refreshRequests).hasValue(1);
        assertThat(refreshes).containsExactly(RefreshTrigger.EXPIRING);
        assertThat(server.apiAuthorizations).containsExactly("Bearer at-2");
        assertThat(storage.load().orElseThrow().refreshToken()).contains("rt-2");
    }

    @Test
    void justBeforeTheSkewNoRefreshHappens() throws Exception {
        clock.advance(Duration.ofMinutes(5).minusSeconds(31));

        assertThat(call().statusCode()).isEqualTo(200);

        assertThat(server.refreshRequests).hasValue(0);
    }

    @Test
    void on401InvalidTokenRefreshesAndRetriesOnce() throws Exception {
        api = client(server.uri("/token"), true);
        server.apiAlwaysRefuses();

        HttpResponse<String> response = call();

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(refreshes).containsExactly(RefreshTrigger.INVALID_TOKEN);
        assertThat(server.apiAuthorizations).containsExactly("Bearer at-1", "Bearer at-2");
        assertThat(logouts).isEmpty();
    }

    @Test
    void aRetriedRequestThatSucceedsReturnsTheSuccess() throws Exception {
        AuthorizedHttpClient lagging = lagging();
        clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> response = lagging.send(get(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.apiAuthorizations).containsExactly("Bearer at-1", "Bearer at-2");
        assertThat(server.refreshRequests).hasValue(1);
    }

    @Test
    void aCallerWhose401ArrivesAfterTheRefreshFinishedRetriesWithTheNewTokenWithoutRefreshing() throws Exception {
        AuthorizedHttpClient lagging = lagging();
        clock.advance(Duration.ofMinutes(6));
        CountDownLatch release = new CountDownLatch(1);
        server.holdFirstApiRequestUntil(release);
        CompletableFuture<HttpResponse<String>> late = lagging.sendAsync(get(), HttpResponse.BodyHandlers.ofString());
        server.firstApiRequestHeld.await();

        HttpResponse<String> first = lagging.send(get(), HttpResponse.BodyHandlers.ofString());
        release.countDown();

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(late.get().statusCode()).isEqualTo(200);
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(server.apiAuthorizations).containsExactlyInAnyOrder("Bearer at-1", "Bearer at-1", "Bearer at-2",
                "Bearer at-2");
    }

    @Test
    void a401WithoutInvalidTokenIsReturnedWithoutRefreshing() throws Exception {
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(server.uri("/no-token-error")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(server.refreshRequests).hasValue(0);
        assertThat(server.apiRequests).hasValue(1);
    }

    @Test
    void invalidGrantLogsOutOnceWhateverTheNumberOfWaitingCallers() throws Exception {
        server.login();   // the server moved on: the client's refresh token is no longer current
        clock.advance(Duration.ofMinutes(5));
        for (Throwable outcome : together(16)) {
            assertThat(outcome).isInstanceOf(LoggedOutException.class);
        }

        assertThat(logouts).containsExactly(LogoutReason.INVALID_GRANT);
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(storage.load()).isEmpty();
        assertThat(api.tokens()).isEmpty();
        assertThat(server.apiRequests).hasValue(0);
        assertThatThrownBy(this::call).isInstanceOf(LoggedOutException.class)
                .satisfies(e -> assertThat(((LoggedOutException) e).reason()).contains(LogoutReason.INVALID_GRANT));
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(logouts).hasSize(1);
    }

    @Test
    void aServerThatIsDownGetsOneRefreshPerBackoffNotAStorm() throws Exception {
        server.tokenMode(StubServer.TokenMode.UNAVAILABLE);
        clock.advance(Duration.ofMinutes(5));
        for (Throwable outcome : together(32)) {
            assertThat(outcome).isInstanceOf(TokenEndpointUnavailableException.class);
        }
        // Each caller either joined the one refresh or arrived after it failed, during the back-off.
        assertThat(server.refreshRequests).hasValue(1);

        assertThatThrownBy(this::call).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("refreshing is paused until");
        assertThat(server.refreshRequests).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(this::call).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        assertThat(server.refreshRequests).hasValue(2);
        clock.advance(Duration.ofSeconds(1));   // the pause doubled to 2 s
        assertThatThrownBy(this::call).hasMessageContaining("refreshing is paused until");
        assertThat(server.refreshRequests).hasValue(2);

        server.tokenMode(StubServer.TokenMode.ROTATE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(call().statusCode()).isEqualTo(200);
        assertThat(server.refreshRequests).hasValue(3);
        assertThat(logouts).isEmpty();
        assertThat(server.apiRequests).hasValue(1);
    }

    @Test
    void anUnreachableServerGivesAClearErrorAndKeepsTheTokens() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        api = client(URI.create("http://127.0.0.1:" + closedPort + "/token"), true);
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(this::call).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("could not be reached")
                .satisfies(e -> assertThat(((TokenClientException) e).retryable()).isTrue());

        assertThat(api.tokens()).map(TokenSet::accessToken).contains("at-1");
        assertThat(logouts).isEmpty();
    }

    @Test
    void aFailedEarlyRefreshStillUsesTheValidToken() throws Exception {
        server.tokenMode(StubServer.TokenMode.UNAVAILABLE);
        clock.advance(Duration.ofMinutes(5).minusSeconds(10));

        assertThat(call().statusCode()).isEqualTo(200);

        assertThat(server.refreshRequests).hasValue(1);
        assertThat(server.apiAuthorizations).containsExactly("Bearer at-1");
    }

    @Test
    void aBodyThatCannotBeReplayedIsNotSentAgainAndTheCallerIsTold() throws Exception {
        server.apiAlwaysRefuses();
        SubmissionPublisher<ByteBuffer> oneShot = new SubmissionPublisher<>();
        HttpRequest post = HttpRequest.newBuilder(server.uri("/api"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(oneShot)).build();
        CompletableFuture<HttpResponse<String>> sent = api.sendAsync(post, HttpResponse.BodyHandlers.ofString());
        oneShot.submit(ByteBuffer.wrap("payload".getBytes(StandardCharsets.UTF_8)));
        oneShot.close();

        assertThatThrownBy(sent::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(NotReplayedException.class).hasMessageContaining("not retried")
                .satisfies(e -> assertThat(((NotReplayedException) e).response().statusCode()).isEqualTo(401));
        assertThat(server.apiRequests).hasValue(1);
        assertThat(server.refreshRequests).hasValue(1);
        assertThat(api.tokens()).map(TokenSet::accessToken).contains("at-2");
    }

    @Test
    void stringBodiesAndWrappedBodiesAreReplayed() throws Exception {
        api = client(server.uri("/token"), true);
        server.apiAlwaysRefuses();

        api.send(HttpRequest.newBuilder(server.uri("/api")).POST(HttpRequest.BodyPublishers.ofString("one"))
                .build(), HttpResponse.BodyHandlers.ofString());
        api.send(HttpRequest.newBuilder(server.uri("/api")).POST(AuthorizedHttpClient.replayable(
                HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
                        "two".getBytes(StandardCharsets.UTF_8))))).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.apiBodies).containsExactly("one", "one", "two", "two");
    }

    @Test
    void sendAsyncRefreshesAndRetriesLikeSend() throws Exception {
        AuthorizedHttpClient lagging = lagging();
        clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> response = lagging.sendAsync(get(), HttpResponse.BodyHandlers.ofString()).get();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.apiAuthorizations).containsExactly("Bearer at-1", "Bearer at-2");
    }

    @Test
    void aRefreshResponseWithoutARefreshTokenKeepsTheOldOne() throws Exception {
        server.tokenMode(StubServer.TokenMode.NO_REFRESH_TOKEN_IN_RESPONSE);
        clock.advance(Duration.ofMinutes(5));

        assertThat(call().statusCode()).isEqualTo(200);

        assertThat(api.tokens().orElseThrow().refreshToken()).contains("rt-1");
        assertThat(api.tokens().orElseThrow().accessToken()).isEqualTo("at-2");
    }

    @Test
    void anIdTokenIsKeptWhenARefreshDoesNotReturnOne() throws Exception {
        api.signIn(TokenSet.builder("at-1").refreshToken("rt-1").idToken("header.claims.signature")
                .expiresAt(clock.instant().plusSeconds(300)).build());
        clock.advance(Duration.ofMinutes(5));

        assertThat(call().statusCode()).isEqualTo(200);

        assertThat(api.tokens().orElseThrow().accessToken()).isEqualTo("at-2");
        assertThat(api.tokens().orElseThrow().idToken()).contains("header.claims.signature");
    }

    @Test
    void withoutARefreshTokenAnExpiredSessionLogsOut() throws Exception {
        api.signIn(TokenSet.builder("at-1").expiresAt(clock.instant().plusSeconds(300)).build());
        clock.advance(Duration.ofMinutes(5));

        assertThatThrownBy(this::call).isInstanceOf(LoggedOutException.class);

        assertThat(logouts).containsExactly(LogoutReason.NO_REFRESH_TOKEN);
        assertThat(server.refreshRequests).hasValue(0);
        assertThat(server.apiRequests).hasValue(0);
    }

    @Test
    void aRequestWithItsOwnAuthorizationHeaderIsRefused() {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/api")).header("Authorization", "Basic eDp5").build();

        assertThatThrownBy(() -> api.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Authorization");
        assertThat(server.apiRequests).hasValue(0);
    }

    @Test
    void beforeSignInCallsFailAsLoggedOut() {
        AuthorizedHttpClient fresh = client(server.uri("/token"), true);
        storage.clear();

        assertThatThrownBy(() -> fresh.send(get(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(LoggedOutException.class).hasMessageContaining("signIn")
                .satisfies(e -> assertThat(((LoggedOutException) e).reason()).isEmpty());
    }

    @Test
    void aSessionResumesFromItsStorage() throws Exception {
        AuthorizedHttpClient resumed = client(server.uri("/token"), true);

        assertThat(resumed.send(get(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(server.apiAuthorizations).containsExactly("Bearer at-1");
    }

    @Test
    void logOutClearsTheStorageAndTellsTheListenerOnce() throws Exception {
        assertThat(api.logOut()).isFalse();   // no revocation endpoint configured
        assertThat(api.logOut()).isFalse();

        assertThat(logouts).containsExactly(LogoutReason.LOGGED_OUT);
        assertThat(storage.load()).isEmpty();
    }

    @Test
    void signInRefusesTokensThatAreNotBearer() {
        assertThatThrownBy(() -> api.signIn(TokenSet.builder("x").tokenType("DPoP").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bearer");
    }

    @Test
    void builderOptionsAreCheckedAndSetOnce() {
        TokenEndpointClient endpoint = TokenEndpointClient.builder(server.uri("/token"))
                .clientAuthentication(ClientAuthentication.publicClient("app")).build();
        assertThatThrownBy(() -> AuthorizedHttpClient.builder(endpoint).refreshSkew(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshSkew");
        assertThatThrownBy(() -> AuthorizedHttpClient.builder(endpoint).refreshSkew(Duration.ZERO)
                .refreshSkew(Duration.ZERO)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already set");
        assertThatThrownBy(() -> AuthorizedHttpClient.builder(endpoint)
                .refreshBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
