package dev.jeton.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.IdTokenValidator;
import dev.jeton.VerifiedIdToken;
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
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Plays the refresh-token flow of RFC 6749 §1.5 (steps A to H) and a REST client's "401, refresh, retry" loop against
 * the {@link DemoServer}, over real HTTP, and shows reuse detection at work; validates the ID tokens as an OpenID
 * Connect relying party would; plays the reference provider's REUSE mode (the same refresh token, a new access token
 * and a new ID token on each refresh) and a browser client whose refresh token lives in an HttpOnly cookie. Prints each
 * step as a person would read it, tokens shortened, and exits non-zero if any step does not behave as expected.
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
    private String idToken;

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
        step("Discover the server (OpenID Connect Discovery = RFC 8414 metadata)");
        HttpResponse<String> discovered = send(HttpRequest.newBuilder(URI.create(base
                + "/.well-known/openid-configuration")).build());
        HttpResponse<String> oauthMetadata = send(HttpRequest.newBuilder(URI.create(base
                + "/.well-known/oauth-authorization-server")).build());
        expect(discovered.statusCode() == 200 && discovered.body().equals(oauthMetadata.body()),
                "both well-known documents are served, and are the same");
        JsonNode metadata = JSON.readTree(discovered.body());
        IdTokenValidator relyingParty = relyingParty(metadata, "web");

        step("(A)+(B) Log in: the client sends the user's credentials and gets an access token, a refresh token and,"
                + " for openid, an ID token");
        String nonce = "walkthrough-" + System.nanoTime();
        JsonNode login = post("/oauth/token", form("grant_type", "password", "username", "alice",
                "password", "wonderland", "scope", "openid profile api:read", "nonce", nonce), true);
        expect(login.path("token_type").asText().equals("Bearer") && login.has("refresh_token")
                && login.has("id_token"), "a Bearer access token, a refresh token and an ID token came back");
        accessToken = login.path("access_token").asText();
        refreshToken = login.path("refresh_token").asText();
        idToken = login.path("id_token").asText();
        String firstRefreshToken = refreshToken;

        step("Validate the ID token as a relying party: keys from jwks_uri, iss, aud, nonce, at_hash");
        VerifiedIdToken user = relyingParty.validate(idToken, nonce, accessToken);
        expect(user.subject().equals("alice") && user.nonce().equals(java.util.Optional.of(nonce)),
                "the ID token is alice's, with the nonce this login sent");

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

        step("The refresh brought a new ID token of the same login (OIDC Core 12.2)");
        VerifiedIdToken refreshed = relyingParty.validateRefreshed(idToken, user, accessToken);
        expect(refreshed.nonce().isEmpty() && refreshed.issuedAt().isAfter(user.issuedAt())
                && refreshed.authTime().equals(user.authTime()),
                "same sub, aud and auth_time, a later iat, and no nonce");

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

        reuseMode(metadata);
        cookieMode();

        step("Fetch the public keys a resource server elsewhere would use");
        HttpResponse<String> jwks = send(HttpRequest.newBuilder(URI.create(base + "/.well-known/jwks.json")).build());
        expectStatus(jwks, 200, "the JWK set is published");
        expect(!jwks.body().contains("\"d\""), "it holds no private key part");
        expect(jwks.headers().firstValue("Cache-Control").orElse("").startsWith("public, max-age="),
                "served with a Cache-Control derived from the key rotation settings");
    }

    private IdTokenValidator relyingParty(JsonNode metadata, String clientId) {
        return IdTokenValidator.builder().issuer(metadata.path("issuer").asText()).clientId(clientId)
                .keys(RemoteJwksKeyProvider.builder(URI.create(metadata.path("jwks_uri").asText())).clock(clock)
                        .build())
                .clock(clock).build();
    }

    /** The reference provider: the same refresh token on every refresh, a new access token and a new ID token. */
    private void reuseMode(JsonNode metadata) throws IOException, InterruptedException {
        step("Client legacy is configured for REUSE mode, as the reference provider: log in");
        IdTokenValidator relyingParty = relyingParty(metadata, "legacy");
        String[] legacy = {"Authorization", basic("legacy", "legacy-secret")};
        JsonNode login = json(postAs("/oauth/token", form("grant_type", "password", "username", "alice",
                "password", "wonderland", "scope", "openid profile"), legacy));
        VerifiedIdToken user = relyingParty.validate(login.path("id_token").asText());
        String access = login.path("access_token").asText();
        String id = login.path("id_token").asText();
        for (int i = 1; i <= 2; i++) {
            step("REUSE refresh " + i + ": the same refresh token, a new access token and a new ID token");
            clock.advance(Duration.ofMinutes(15));
            JsonNode next = json(postAs("/oauth/token", form("grant_type", "refresh_token", "refresh_token",
                    login.path("refresh_token").asText()), legacy));
            expect(next.path("refresh_token").asText().equals(login.path("refresh_token").asText()),
                    "the same refresh token came back");
            expect(!next.path("access_token").asText().equals(access) && !next.path("id_token").asText().equals(id),
                    "a new access token and a new ID token");
            access = next.path("access_token").asText();
            id = next.path("id_token").asText();
            expect(relyingParty.validateRefreshed(id, user, access).authTime().equals(user.authTime()),
                    "the relying party accepts the new ID token as the same login");
        }
    }

    /** A browser client: the refresh token only in an HttpOnly cookie, a CSRF header to refresh with it. */
    private void cookieMode() throws IOException, InterruptedException {
        step("Client spa, a browser app, logs in: the refresh token comes as an HttpOnly cookie, not in the body");
        HttpResponse<String> login = postAs("/oauth/token", form("grant_type", "password", "client_id", "spa",
                "username", "alice", "password", "wonderland", "scope", "openid"));
        String setCookie = login.headers().firstValue("Set-Cookie").orElse("");
        expect(login.statusCode() == 200 && !login.body().contains("refresh_token")
                && setCookie.contains("; Path=/oauth/token; ")
                && setCookie.endsWith("; HttpOnly; Secure; SameSite=Strict"),
                "Set-Cookie: HttpOnly, Secure, SameSite=Strict, Path=/oauth/token; no refresh_token in the body");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String refreshByCookie = form("grant_type", "refresh_token", "client_id", "spa");

        step("A refresh by cookie without the CSRF header is refused (a foreign page could send the cookie)");
        HttpResponse<String> forged = postAs("/oauth/token", refreshByCookie, "Cookie", cookie);
        expect(forged.statusCode() == 400 && forged.body().contains("invalid_request"), "invalid_request, 400");

        step("With the X-Jeton-Refresh header the refresh succeeds and renews the cookie");
        clock.advance(Duration.ofMinutes(15));
        HttpResponse<String> renewed = postAs("/oauth/token", refreshByCookie, "Cookie", cookie,
                "X-Jeton-Refresh", "1");
        String next = renewed.headers().firstValue("Set-Cookie").orElse("");
        expect(renewed.statusCode() == 200 && next.contains("HttpOnly") && !next.startsWith(cookie + ";"),
                "200, and a new cookie holding the rotated refresh token");

        step("The old cookie replayed is reuse: refused, the session revoked, the cookie cleared");
        HttpResponse<String> replay = postAs("/oauth/token", refreshByCookie, "Cookie", cookie,
                "X-Jeton-Refresh", "1");
        expect(replay.statusCode() == 400 && replay.body().contains("invalid_grant")
                && replay.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"),
                "invalid_grant, and Set-Cookie with Max-Age=0");

        step("Log in again, then log out: the refresh token is revoked and the cookie cleared");
        HttpResponse<String> again = postAs("/oauth/token", form("grant_type", "password", "client_id", "spa",
                "username", "alice", "password", "wonderland"));
        String current = again.headers().firstValue("Set-Cookie").orElse(";");
        current = current.substring(0, current.indexOf(';'));
        HttpResponse<String> logout = postAs("/oauth/logout", form("client_id", "spa"), "Cookie", current,
                "X-Jeton-Refresh", "1");
        expect(logout.statusCode() == 200 && logout.headers().firstValue("Set-Cookie").orElse("")
                .contains("Max-Age=0"), "logged out, cookie cleared");
        expect(postAs("/oauth/token", refreshByCookie, "Cookie", current, "X-Jeton-Refresh", "1").statusCode()
                == 400, "the logged-out cookie no longer refreshes");
    }

    private JsonNode json(HttpResponse<String> response) throws IOException {
        expectStatus(response, 200, "POST succeeds");
        return JSON.readTree(response.body());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
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
        idToken = refreshed.path("id_token").asText(idToken);
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
        return asWebClient ? postAs(path, body, "Authorization", basic("web", "web-secret")) : postAs(path, body);
    }

    /** POSTs a form with the given header names and values. */
    private HttpResponse<String> postAs(String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
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
                ? "  (Bearer " + shorten(a.substring(7)) + ")" : "  (client " + basicClient(a) + ", HTTP Basic)")
                .orElse("")
                + request.headers().firstValue("Cookie").map(c -> "  (Cookie " + shownCookie(c) + ")").orElse("")
                + request.headers().firstValue("X-Jeton-Refresh").map(h -> "  (X-Jeton-Refresh)").orElse(""));
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        out.println("   ← " + response.statusCode() + " " + summary(response));
        return response;
    }

    private static String basicClient(String authorization) {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
        return decoded.substring(0, decoded.indexOf(':'));
    }

    /** The fields that matter, tokens shortened. */
    private static String summary(HttpResponse<String> response) {
        String body = response.body();
        String challenge = response.headers().firstValue("WWW-Authenticate").map(v -> " WWW-Authenticate: " + v)
                .orElse("") + response.headers().firstValue("Set-Cookie").map(v -> " Set-Cookie: "
                + shownCookie(v.substring(0, v.indexOf(';'))) + v.substring(v.indexOf(';'))).orElse("");
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

    /** {@code name=value} with the value shortened. */
    private static String shownCookie(String cookie) {
        int eq = cookie.indexOf('=');
        return cookie.substring(0, eq + 1) + shorten(cookie.substring(eq + 1));
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
