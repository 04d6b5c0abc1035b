package dev.jeton.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Plays the refresh-token flow of RFC 6749 §1.5 (steps A to H) and a REST client's "401, refresh, retry" loop
 * against the {@link DemoServer}, over real HTTP, and shows reuse detection at work. Prints each step as a person
 * would read it, tokens shortened, and exits non-zero if any step does not behave as expected.
 *
 * <p>The server runs in this process on the embedded database, with a clock the walkthrough moves forward instead of
 * waiting fifteen minutes for the access token to expire.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am compile exec:java}
 */
public final class Walkthrough {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final TestClock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private int failures;

    private String accessToken;
    private String refreshToken;

    Walkthrough(PrintStream out, TestClock serverClock, int port) {
        this.out = out;
        this.clock = serverClock;
        this.base = "http://127.0.0.1:" + port;
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
            Walkthrough walk = new Walkthrough(out, clock, server.port());
            walk.steps();
            out.println();
            out.println(walk.failures == 0 ? "Every step behaved as expected."
                    : walk.failures + " step(s) did not behave as expected.");
            return walk.failures;
        }
    }

    private void steps() throws Exception {
        step("(A)+(B) Log in: the client sends the user's credentials and gets an access token and a refresh token");
        JsonNode login = post("/oauth/token", form("grant_type", "password", "username", "alice",
                "password", "wonderland", "scope", "openid profile api:read"), true);
        expect(login.path("token_type").asText().equals("Bearer") && login.has("refresh_token"),
                "a Bearer access token and a refresh token came back");
        accessToken = login.path("access_token").asText();
        refreshToken = login.path("refresh_token").asText();
        String firstRefreshToken = refreshToken;

        step("(C)+(D) Call the API with the access token");
        expectStatus(getApi("/api/me", accessToken), 200, "the API answers with the user");

        step("(E)+(F) Fifteen minutes pass; the access token expires and the API refuses it");
        clock.advance(Duration.ofMinutes(15));
        HttpResponse<String> expired = getApi("/api/me", accessToken);
        expectStatus(expired, 401, "the API answers 401");
        expect(expired.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_token\""),
                "the 401 carries WWW-Authenticate: Bearer error=\"invalid_token\"");

        step("(G)+(H) The client's 401 handler refreshes and retries the call");
        HttpResponse<String> retried = callWithRefresh("/api/me");
        expectStatus(retried, 200, "the retried call succeeds with the new access token");
        expect(!refreshToken.equals(firstRefreshToken), "the refresh token was rotated: a new one came back");
        out.println("   old refresh token " + shorten(firstRefreshToken) + ", new " + shorten(refreshToken));

        step("Introspect both refresh tokens (RFC 7662, client-authenticated)");
        JsonNode oldInfo = post("/oauth/introspect", form("token", firstRefreshToken), true);
        JsonNode newInfo = post("/oauth/introspect", form("token", refreshToken), true);
        expect(!oldInfo.path("active").asBoolean() && newInfo.path("active").asBoolean(),
                "the old one is inactive, the new one active");

        step("List the user's sessions");
        HttpResponse<String> sessions = getApi("/auth/sessions", accessToken);
        expectStatus(sessions, 200, "one live session");

        step("An attacker replays the old, rotated refresh token");
        HttpResponse<String> replay = postRaw("/oauth/token", form("grant_type", "refresh_token",
                "refresh_token", firstRefreshToken), true);
        expectStatus(replay, 400, "the replay is refused with invalid_grant");
        expect(replay.body().contains("invalid_grant"), "the error is invalid_grant");

        step("Reuse detection revoked the whole family: the legitimate client's tokens stop working too");
        HttpResponse<String> legit = postRaw("/oauth/token", form("grant_type", "refresh_token",
                "refresh_token", refreshToken), true);
        expectStatus(legit, 400, "the current refresh token is refused");
        expectStatus(getApi("/api/me", accessToken), 401, "the current access token is refused (revoked session)");

        step("The user logs in again on two devices, then logs out everywhere");
        post("/oauth/token", form("grant_type", "password", "username", "alice", "password", "wonderland"), true);
        JsonNode again = post("/oauth/token", form("grant_type", "password", "username", "alice",
                "password", "wonderland"), true);
        String access = again.path("access_token").asText();
        HttpResponse<String> logout = send(HttpRequest.newBuilder(URI.create(base + "/auth/logout-all"))
                .header("Authorization", "Bearer " + access).POST(HttpRequest.BodyPublishers.noBody()).build());
        expectStatus(logout, 200, "two sessions revoked");
        expect(logout.body().contains("\"revoked_sessions\":2"), "both sessions were revoked");
        expectStatus(getApi("/api/me", access), 401, "the API refuses the logged-out access token");

        step("Fetch the public keys a resource server elsewhere would use");
        HttpResponse<String> jwks = send(HttpRequest.newBuilder(URI.create(base + "/.well-known/jwks.json")).build());
        expectStatus(jwks, 200, "the JWK set is published");
        expect(!jwks.body().contains("\"d\""), "it holds no private key part");
    }

    /** The REST client's loop: call; on 401 refresh once and retry with the new access token. */
    private HttpResponse<String> callWithRefresh(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = getApi(path, accessToken);
        if (response.statusCode() != 401) {
            return response;
        }
        out.println("   got 401; refreshing");
        JsonNode refreshed = post("/oauth/token", form("grant_type", "refresh_token", "refresh_token", refreshToken),
                true);
        accessToken = refreshed.path("access_token").asText();
        refreshToken = refreshed.path("refresh_token").asText(refreshToken);
        out.println("   retrying " + path);
        return getApi(path, accessToken);
    }

    private HttpResponse<String> getApi(String path, String token) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .GET().build());
    }

    private JsonNode post(String path, String body, boolean asWebClient) throws IOException, InterruptedException {
        HttpResponse<String> response = postRaw(path, body, asWebClient);
        expectStatus(response, 200, "POST " + path + " succeeds");
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private HttpResponse<String> postRaw(String path, String body, boolean asWebClient)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (asWebClient) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("web:web-secret".getBytes(StandardCharsets.UTF_8)));
        }
        return send(request.build(), "  " + shown(body));
    }

    /** A form body as a person reads it: tokens shortened, secrets masked. */
    private static String shown(String body) {
        StringJoiner fields = new StringJoiner(" ");
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("password") || name.equals("client_secret")) {
                value = "•••";
            } else if (name.endsWith("token")) {
                value = shorten(value);
            }
            fields.add(name + "=" + value);
        }
        return fields.toString();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return send(request, "");
    }

    private HttpResponse<String> send(HttpRequest request, String shownBody) throws IOException, InterruptedException {
        out.println("   → " + request.method() + " " + request.uri().getPath() + shownBody
                + request.headers().firstValue("Authorization").map(a -> a.startsWith("Bearer ")
                ? "  (Bearer " + shorten(a.substring(7)) + ")" : "  (client web, HTTP Basic)").orElse(""));
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        out.println("   ← " + response.statusCode() + " " + summary(response));
        return response;
    }

    /** The fields that matter, tokens shortened. */
    private static String summary(HttpResponse<String> response) {
        String body = response.body();
        String challenge = response.headers().firstValue("WWW-Authenticate").map(v -> " WWW-Authenticate: " + v)
                .orElse("");
        if (body == null || body.isEmpty() || !body.startsWith("{")) {
            return challenge.strip();
        }
        try {
            JsonNode json = JSON.readTree(body);
            StringJoiner fields = new StringJoiner(" ");
            json.fields().forEachRemaining(e -> {
                String value = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
                if (e.getKey().endsWith("_token") && e.getValue().isTextual()) {
                    value = shorten(value);
                }
                if (value.length() > 90) {
                    value = value.substring(0, 87) + "...";
                }
                fields.add(e.getKey() + "=" + value);
            });
            return fields + challenge;
        } catch (IOException e) {
            return body;
        }
    }

    static String shorten(String token) {
        return token.length() <= 16 ? token : token.substring(0, 10) + "…" + token.substring(token.length() - 4);
    }

    private static String form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        StringJoiner body = new StringJoiner("&");
        form.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private void step(String title) {
        out.println();
        out.println(title);
    }

    private void expectStatus(HttpResponse<String> response, int status, String what) {
        expect(response.statusCode() == status, what + " (HTTP " + status + ")");
    }

    private void expect(boolean ok, String what) {
        out.println("   " + (ok ? "ok: " : "UNEXPECTED: ") + what);
        if (!ok) {
            failures++;
        }
    }
}
