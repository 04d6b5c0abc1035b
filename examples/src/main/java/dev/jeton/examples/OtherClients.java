package dev.jeton.examples;

import static dev.jeton.examples.Walkthrough.form;

import dev.jeton.IdTokenValidator;
import dev.jeton.VerifiedIdToken;
import dev.jeton.client.TokenEndpointClient;
import dev.jeton.client.TokenSet;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The walkthrough's two other clients of the demo server: {@code legacy}, refreshed in REUSE mode as the reference
 * provider does, through token-client; and {@code spa}, a browser app whose refresh token lives only in an HttpOnly
 * cookie. token-client has no cookie mode (a browser does that part), so the {@code spa} steps are raw HTTP.
 */
final class OtherClients {

    private final Walkthrough walk;

    OtherClients(Walkthrough walk) {
        this.walk = walk;
    }

    /** The reference provider: the same refresh token on every refresh, a new access token and a new ID token. */
    @SuppressWarnings("deprecation") // the demo server's login is the password grant; real apps use code + PKCE
    void reuseMode(IdTokenValidator relyingParty) throws InterruptedException {
        walk.step("Client legacy is configured for REUSE mode, as the reference provider: log in");
        TokenEndpointClient legacy = walk.endpointFor("legacy", "legacy-secret");
        TokenSet login = legacy.password("alice", "wonderland", List.of("openid", "profile"));
        VerifiedIdToken user = relyingParty.validate(login.idToken().orElseThrow());
        String refreshToken = login.refreshToken().orElseThrow();
        TokenSet previous = login;
        for (int i = 1; i <= 2; i++) {
            walk.step("REUSE refresh " + i + ": the same refresh token, a new access token and a new ID token");
            walk.clock().advance(Duration.ofMinutes(15));
            TokenSet next = legacy.refresh(refreshToken);
            walk.expect(next.refreshToken().equals(login.refreshToken()), "the same refresh token came back");
            String id = next.idToken().orElse("");
            walk.expect(!next.accessToken().equals(previous.accessToken())
                    && !id.equals(previous.idToken().orElseThrow()), "a new access token and a new ID token");
            walk.expect(relyingParty.validateRefreshed(id, user, next.accessToken()).authTime()
                    .equals(user.authTime()), "the relying party accepts the new ID token as the same login");
            previous = next;
        }
    }

    /** A browser client: the refresh token only in an HttpOnly cookie, a CSRF header to refresh with it. */
    void cookieMode() throws IOException, InterruptedException {
        walk.step("Client spa, a browser app, logs in: the refresh token comes as an HttpOnly cookie, not in the body");
        HttpResponse<String> login = walk.postAs("/oauth/token", form("grant_type", "password", "client_id", "spa",
                "username", "alice", "password", "wonderland", "scope", "openid"));
        String setCookie = login.headers().firstValue("Set-Cookie").orElse("");
        walk.expect(login.statusCode() == 200 && !login.body().contains("refresh_token")
                && setCookie.contains("; Path=/oauth/token; ")
                && setCookie.endsWith("; HttpOnly; Secure; SameSite=Strict"),
                "Set-Cookie: HttpOnly, Secure, SameSite=Strict, Path=/oauth/token; no refresh_token in the body");
        String cookie = cookieOf(login);
        String refreshByCookie = form("grant_type", "refresh_token", "client_id", "spa");

        walk.step("A refresh by cookie without the CSRF header is refused (a foreign page could send the cookie)");
        HttpResponse<String> forged = walk.postAs("/oauth/token", refreshByCookie, "Cookie", cookie);
        walk.expect(forged.statusCode() == 400 && forged.body().contains("invalid_request"), "invalid_request, 400");

        walk.step("With the X-Jeton-Refresh header the refresh succeeds and renews the cookie");
        walk.clock().advance(Duration.ofMinutes(15));
        HttpResponse<String> renewed = walk.postAs("/oauth/token", refreshByCookie, "Cookie", cookie,
                "X-Jeton-Refresh", "1");
        String next = renewed.headers().firstValue("Set-Cookie").orElse("");
        walk.expect(renewed.statusCode() == 200 && next.contains("HttpOnly") && !next.startsWith(cookie + ";"),
                "200, and a new cookie holding the rotated refresh token");

        walk.step("The old cookie replayed is reuse: refused, the session revoked, the cookie cleared");
        HttpResponse<String> replay = walk.postAs("/oauth/token", refreshByCookie, "Cookie", cookie,
                "X-Jeton-Refresh", "1");
        walk.expect(replay.statusCode() == 400 && replay.body().contains("invalid_grant")
                && replay.headers().firstValue("Set-Cookie").orElse("").contains("Max-Age=0"),
                "invalid_grant, and Set-Cookie with Max-Age=0");

        walk.step("Log in again, then log out: the refresh token is revoked and the cookie cleared");
        String current = cookieOf(walk.postAs("/oauth/token", form("grant_type", "password", "client_id", "spa",
                "username", "alice", "password", "wonderland")));
        HttpResponse<String> logout = walk.postAs("/oauth/logout", form("client_id", "spa"), "Cookie", current,
                "X-Jeton-Refresh", "1");
        walk.expect(logout.statusCode() == 200 && logout.headers().firstValue("Set-Cookie").orElse("")
                .contains("Max-Age=0"), "logged out, the cookie cleared");
        walk.expectStatus(walk.postAs("/oauth/token", refreshByCookie, "Cookie", current, "X-Jeton-Refresh", "1"),
                400, "the logged-out cookie no longer refreshes");
    }

    /** The {@code name=value} part of the response's Set-Cookie, as a browser would send it back. */
    private static String cookieOf(HttpResponse<String> response) {
        String setCookie = response.headers().firstValue("Set-Cookie").orElse(";");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }
}
