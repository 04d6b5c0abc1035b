package dev.jeton.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.jeton.RefreshCookie;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenException;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's browser mode: for a client registered with {@code cookie}, the refresh token travels only in an
 * {@code HttpOnly} cookie scoped to the token endpoint, never in a response body, and a refresh by cookie must carry
 * the CSRF header. Logout and any {@code invalid_grant} (reuse detected among them) clear the cookie.
 */
final class CookieMode {

    private final RefreshCookie cookie;

    CookieMode(Clock clock) {
        this.cookie = RefreshCookie.builder("/oauth/token").clock(clock).build();
    }

    /** Answers a login or refresh: the refresh token as Set-Cookie, the rest as the body. */
    void sendTokens(HttpExchange exchange, TokenPair pair) throws IOException {
        exchange.getResponseHeaders().add("Set-Cookie", cookie.set(pair));
        Map<String, Object> body = new LinkedHashMap<>(pair.toMap());
        body.remove("refresh_token");
        Exchanges.sendJson(exchange, 200, JsonText.of(body));
    }

    /** A refresh whose token comes from the cookie, once the CSRF header is checked. */
    RefreshRequest.Builder refreshRequest(HttpExchange exchange) {
        return cookie.refreshRequest(Optional.ofNullable(exchange.getRequestHeaders().getFirst("Cookie")),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst(cookie.csrfHeader())));
    }

    /** Clears the cookie in the answer to a refresh that failed for good (reuse detected, revoked, expired). */
    void onFailure(HttpExchange exchange, TokenException failure) {
        cookie.clearAfter(failure).ifPresent(clear -> exchange.getResponseHeaders().add("Set-Cookie", clear));
    }

    /** Logout: revokes the cookie's refresh token (CSRF header required) and clears the cookie. */
    void logout(HttpExchange exchange, TokenService tokens, String clientId) throws IOException {
        tokens.revoke(refreshRequest(exchange).client(clientId).build().refreshToken(), clientId);
        exchange.getResponseHeaders().add("Set-Cookie", cookie.clear());
        Exchanges.sendEmpty(exchange, 200);
    }
}
