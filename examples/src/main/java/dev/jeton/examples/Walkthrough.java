package dev.jeton.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.IdTokenValidator;
import dev.jeton.VerifiedIdToken;
import dev.jeton.client.AuthorizedHttpClient;
import dev.jeton.client.ClientAuthentication;
import dev.jeton.client.InvalidGrantException;
import dev.jeton.client.LoggedOutException;
import dev.jeton.client.LogoutReason;
import dev.jeton.client.RefreshTrigger;
import dev.jeton.client.SessionListener;
import dev.jeton.client.TokenEndpointClient;
import dev.jeton.client.TokenSet;
import dev.jeton.key.RemoteJwksKeyProvider;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plays the refresh-token flow of RFC 6749 §1.5 (steps A to H) against the {@link DemoServer}, over real HTTP, with
 * token-client doing the client's part: an {@link AuthorizedHttpClient} that attaches the access token, refreshes on
 * 401 and retries, sends one refresh for many simultaneous callers, and logs out when the server refuses the refresh
 * token. Shows reuse detection at work too, and the OpenID Connect side: discovery, the ID token validated as a relying
 * party would at login and after a refresh, the reference provider's REUSE mode, and a browser client whose refresh
 * token lives in an HttpOnly cookie ({@link OtherClients}). Prints each step as a person would read it, tokens shown
 * only as a hash prefix, and exits non-zero if any step does not behave as expected.
 *
 * <p>The server runs in this process on the embedded database, with a clock the walkthrough moves forward instead of
 * waiting fifteen minutes for the access token to expire. The client keeps the real clock, so it does not notice the
 * expiry by itself: the API's 401 tells it.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am compile exec:java}
 */
public final class Walkthrough {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIMULTANEOUS_CALLS = 16;

    private final PrintStream out;
    private final TestClock clock;
    private final DemoServer server;
    private final WireLog wire;
    private final String base;
    private final TokenEndpointClient endpoint;
    private final AuthorizedHttpClient api;
    private final List<LogoutReason> logouts = new CopyOnWriteArrayList<>();
    private int failures;

    Walkthrough(PrintStream out, TestClock serverClock, DemoServer server) {
        this.out = out;
        this.clock = serverClock;
        this.server = server;
        this.base = "http://127.0.0.1:" + server.port();
        this.wire = new WireLog(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), out);
        this.endpoint = TokenEndpointClient.builder(URI.create(base + "/oauth/token"))
                .clientAuthentication(ClientAuthentication.basic("web", "web-secret"))
                .revocationEndpoint(URI.create(base + "/oauth/revoke"))
                .httpClient(wire)
                .build();
        this.api = AuthorizedHttpClient.builder(endpoint)
                .httpClient(wire)
                .listener(new SessionListener() {
                    @Override
                    public void loggedOut(LogoutReason reason) {
                        logouts.add(reason);
                        out.println("   the session listener hears: logged out (" + reason + ")");
                    }

                    @Override
                    public void refreshing(RefreshTrigger trigger) {
                        out.println(trigger == RefreshTrigger.INVALID_TOKEN ? "   got 401; refreshing"
                                : "   the access token is about to expire; refreshing");
                    }
                })
                .build();
    }

    public static void main(String[] args) throws Exception {
        int failures = run(System.out, DemoServer.Config.defaults());
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the walkthrough against a fresh server with the given database; returns how many steps misbehaved. */
    static int run(PrintStream out, DemoServer.Config config) throws Exception {
        TestClock clock = TestClock.at(Clock.systemUTC().instant());
        try (DemoServer server = DemoServer.start(config.withClock(clock), "jeton_walk_" + System.nanoTime() % 100000
                + "_")) {
            out.println("Jeton walkthrough against the demo server at http://127.0.0.1:" + server.port());
            Walkthrough walk = new Walkthrough(out, clock, server);
            walk.steps();
            out.println();
            out.println(walk.failures == 0 ? "Every step behaved as expected."
                    : walk.failures + " step(s) did not behave as expected.");
            return walk.failures;
        }
    }

    @SuppressWarnings("deprecation") // the demo server's login is the password grant; real apps use code + PKCE
    private void steps() throws Exception {
        step("Discover the server (OpenID Connect Discovery = RFC 8414 metadata)");
        HttpResponse<String> discovered = get("/.well-known/openid-configuration");
        HttpResponse<String> oauthMetadata = get("/.well-known/oauth-authorization-server");
        expect(discovered.statusCode() == 200 && discovered.body().equals(oauthMetadata.body()),
                "both well-known documents are served, and are the same");
        JsonNode metadata = JSON.readTree(discovered.body());
        expect(metadata.path("token_endpoint").asText().equals(base + "/oauth/token"),
                "the discovered token endpoint is the one token-client talks to");
        IdTokenValidator relyingParty = relyingParty(metadata, "web");

        step("(A)+(B) Log in: the client sends the user's credentials and gets an access token, a refresh token and,"
                + " for openid, an ID token");
        // password() has no nonce parameter; grant() sends the same grant with the OIDC nonce added.
        String nonce = "walkthrough-" + System.nanoTime();
        TokenSet login = endpoint.grant("password", orderedMap("username", "alice", "password", "wonderland",
                "scope", "openid profile api:read", "nonce", nonce));
        expect(login.isBearer() && login.refreshToken().isPresent() && login.idToken().isPresent(),
                "a Bearer access token, a refresh token and an ID token came back");
        api.signIn(login);
        String firstRefreshToken = login.refreshToken().orElseThrow();

        step("Validate the ID token as a relying party: keys from jwks_uri, iss, aud, nonce, at_hash");
        VerifiedIdToken user = relyingParty.validate(login.idToken().orElseThrow(), nonce, login.accessToken());
        expect(user.subject().equals("alice") && user.nonce().equals(Optional.of(nonce)),
                "the ID token is alice's, with the nonce this login sent");

        step("(C)+(D) Call the API; token-client attaches the access token");
        expectStatus(call("/api/me"), 200, "the API answers with the user");

        step("(E)+(F) Fifteen minutes pass; the access token expires and the API refuses it");
        clock.advance(Duration.ofMinutes(15));
        HttpResponse<String> expired = send(HttpRequest.newBuilder(URI.create(base + "/api/me"))
                .header("Authorization", "Bearer " + login.accessToken()).build());
        expectStatus(expired, 401, "the API answers 401");
        expect(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
                "the 401 carries WWW-Authenticate: Bearer error=\"invalid_token\"");

        step("(G)+(H) token-client's 401 handler refreshes and retries the call");
        HttpResponse<String> retried = call("/api/me");
        expectStatus(retried, 200, "the retried call succeeds with the new access token");
        String rotated = refreshToken();
        expect(!rotated.equals(firstRefreshToken), "the refresh token was rotated: a new one came back");
        out.println("   old refresh token " + WireLog.shorten(firstRefreshToken) + ", new " + WireLog.shorten(rotated));

        step("The refresh brought a new ID token of the same login (OIDC Core 12.2)");
        TokenSet current = api.tokens().orElseThrow();
        String refreshedId = current.idToken().orElse("");
        VerifiedIdToken refreshed = relyingParty.validateRefreshed(refreshedId, user, current.accessToken());
        expect(!refreshedId.equals(login.idToken().orElseThrow()) && refreshed.nonce().isEmpty()
                && refreshed.issuedAt().isAfter(user.issuedAt()) && refreshed.authTime().equals(user.authTime()),
                "token-client kept the new ID token: same sub, aud and auth_time, a later iat, and no nonce");

        singleFlight();

        step("Introspect the first and the current refresh token (RFC 7662, client-authenticated)");
        JsonNode oldInfo = post("/oauth/introspect", form("token", firstRefreshToken));
        JsonNode newInfo = post("/oauth/introspect", form("token", refreshToken()));
        expect(!oldInfo.path("active").asBoolean() && newInfo.path("active").asBoolean(),
                "the old one is inactive, the current one active");

        step("List the user's sessions");
        expectStatus(call("/auth/sessions"), 200, "one live session");

        step("An attacker replays the old, rotated refresh token");
        HttpResponse<String> replay = postRaw("/oauth/token", form("grant_type", "refresh_token",
                "refresh_token", firstRefreshToken));
        expectStatus(replay, 400, "the replay is refused with invalid_grant");
        expect(replay.body().contains("invalid_grant"), "the error is invalid_grant");

        step("Reuse detection revoked the whole family: the legitimate client is logged out");
        try {
            call("/api/me");
            expect(false, "the call fails because the session is over");
        } catch (LoggedOutException e) {
            expect(e.reason().orElse(null) == LogoutReason.INVALID_GRANT,
                    "its access token is refused (401), its refresh token too (invalid_grant): logged out");
        }
        expect(logouts.equals(List.of(LogoutReason.INVALID_GRANT)) && api.tokens().isEmpty(),
                "the listener heard it once, and the stored tokens are cleared");

        step("The user logs in again on two devices, then logs out everywhere");
        endpoint.password("alice", "wonderland", List.of());
        api.signIn(endpoint.password("alice", "wonderland", List.of()));
        HttpResponse<String> logout = api.send(HttpRequest.newBuilder(URI.create(base + "/auth/logout-all"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        expectStatus(logout, 200, "two sessions revoked");
        expect(logout.body().contains("\"revoked_sessions\":2"), "both sessions were revoked");
        String access = api.tokens().orElseThrow().accessToken();
        expectStatus(send(HttpRequest.newBuilder(URI.create(base + "/api/me"))
                .header("Authorization", "Bearer " + access).build()), 401,
                "the API refuses the logged-out access token");

        OtherClients others = new OtherClients(this);
        others.reuseMode(relyingParty(metadata, "legacy"));
        others.cookieMode();

        step("Fetch the public keys a resource server elsewhere would use");
        HttpResponse<String> jwks = get("/.well-known/jwks.json");
        expectStatus(jwks, 200, "the JWK set is published");
        expect(!jwks.body().contains("\"d\""), "it holds no private key part");
        expect(jwks.headers().firstValue("Cache-Control").orElse("").startsWith("public, max-age="),
                "served with a Cache-Control derived from the key rotation settings");
    }

    /** A relying party for {@code clientId}, configured from the discovered issuer and jwks_uri. */
    private IdTokenValidator relyingParty(JsonNode metadata, String clientId) {
        return IdTokenValidator.builder().issuer(metadata.path("issuer").asText()).clientId(clientId)
                .keys(RemoteJwksKeyProvider.builder(URI.create(metadata.path("jwks_uri").asText())).clock(clock)
                        .build())
                .clock(clock).build();
    }

    /**
     * Many calls meet the expiry together: token-client sends one refresh for all of them. Then the same on the wire
     * without token-client: clients that each refresh the same token make the server see a reuse and end the login.
     */
    @SuppressWarnings("deprecation")
    private void singleFlight() throws Exception {
        step("Single-flight: another fifteen minutes pass, and " + SIMULTANEOUS_CALLS
                + " API calls arrive at once with the expired token");
        clock.advance(Duration.ofMinutes(15));
        int refreshesBefore = server.refreshRequests();
        List<Integer> statuses = together(SIMULTANEOUS_CALLS, () -> call("/api/me").statusCode());
        int refreshes = server.refreshRequests() - refreshesBefore;
        out.println("   " + SIMULTANEOUS_CALLS + " calls at once, " + refreshes + " refresh request: the others waited"
                + " for it and used its new token");
        expect(refreshes == 1, "exactly one refresh request reached the server");
        expect(statuses.stream().allMatch(s -> s == 200), "all " + SIMULTANEOUS_CALLS + " calls succeeded");

        step("Without single-flight: another login, and 8 naive clients refresh its one refresh token at once");
        String shared = endpoint.password("alice", "wonderland", List.of()).refreshToken().orElseThrow();
        List<String> outcomes = together(8, () -> {
            try {
                endpoint.refresh(shared);
                return "new tokens";
            } catch (InvalidGrantException e) {
                return "invalid_grant";
            }
        });
        long refused = outcomes.stream().filter("invalid_grant"::equals).count();
        out.println("   " + (outcomes.size() - refused) + " got new tokens, " + refused + " got invalid_grant");
        expect(refused >= 7, "all but one were refused: the server saw the same refresh token come back");
        expect(server.tokens().sessions("alice").size() == 1,
                "reuse detection revoked that login; only the walkthrough's own session is left");
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    /** Runs {@code count} calls released together by a latch, quietly, and returns their results. */
    private <T> List<T> together(int count, Call<T> call) throws Exception {
        wire.quiet(true);
        ExecutorService threads = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    return call.run();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    expect(false, "a simultaneous call failed: " + e.getCause());
                }
            }
            return results;
        } finally {
            threads.shutdownNow();
            wire.quiet(false);
        }
    }

    private String refreshToken() {
        return api.tokens().flatMap(TokenSet::refreshToken).orElse("");
    }

    private HttpResponse<String> call(String path) throws IOException, InterruptedException {
        return api.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = postRaw(path, body);
        expectStatus(response, 200, "POST " + path + " succeeds");
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        return postAs(path, body, "Authorization", "Basic " + Base64.getEncoder()
                .encodeToString("web:web-secret".getBytes(StandardCharsets.UTF_8)));
    }

    /** POSTs a form with the given header names and values, printed on the wire log. */
    HttpResponse<String> postAs(String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).build());
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return wire.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A token endpoint client that authenticates as another confidential client, on the same wire log. */
    TokenEndpointClient endpointFor(String clientId, String secret) {
        return TokenEndpointClient.builder(URI.create(base + "/oauth/token"))
                .clientAuthentication(ClientAuthentication.basic(clientId, secret)).httpClient(wire).build();
    }

    TestClock clock() {
        return clock;
    }

    static String form(String... pairs) {
        StringJoiner body = new StringJoiner("&");
        orderedMap(pairs).forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    void step(String title) {
        out.println();
        out.println(title);
    }

    void expectStatus(HttpResponse<String> response, int status, String what) {
        expect(response.statusCode() == status, what + " (HTTP " + status + ")");
    }

    void expect(boolean ok, String what) {
        out.println("   " + (ok ? "ok: " : "UNEXPECTED: ") + what);
        if (!ok) {
            failures++;
        }
    }
}
