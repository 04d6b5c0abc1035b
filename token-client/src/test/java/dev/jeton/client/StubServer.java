package dev.jeton.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authorization server and API on loopback for the client's tests: strict refresh-token rotation with reuse
 * detection (a retired refresh token revokes the login), access tokens that expire by the given clock, and switches
 * to make the token endpoint fail.
 */
final class StubServer implements AutoCloseable {

    /** What the token endpoint does with a refresh request. */
    enum TokenMode { ROTATE, UNAVAILABLE, NO_REFRESH_TOKEN_IN_RESPONSE }

    final AtomicInteger refreshRequests = new AtomicInteger();
    final AtomicInteger apiRequests = new AtomicInteger();
    final List<Map<String, String>> tokenForms = new CopyOnWriteArrayList<>();
    final List<String> tokenAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> apiAuthorizations = new CopyOnWriteArrayList<>();
    final List<String> apiBodies = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Clock clock;
    private final Duration accessTtl = Duration.ofMinutes(5);
    private final Object lock = new Object();
    private volatile TokenMode tokenMode = TokenMode.ROTATE;
    private volatile boolean apiAlwaysRefuses;
    private volatile java.util.concurrent.CountDownLatch holdFirstApiRequest;
    final java.util.concurrent.CountDownLatch firstApiRequestHeld = new java.util.concurrent.CountDownLatch(1);
    private int generation;
    private String currentRefresh;
    private String currentAccess;
    private Instant accessExpiresAt;
    private boolean revoked;

    StubServer(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(executor);
        server.createContext("/token", this::token);
        server.createContext("/api", this::api);
        server.createContext("/no-token-error", exchange -> {
            try (exchange) {
                apiRequests.incrementAndGet();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"stub\"");
                send(exchange, 401, "{}");
            }
        });
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void tokenMode(TokenMode mode) {
        tokenMode = mode;
    }

    /** The first API request waits for {@code release} before it is answered. */
    void holdFirstApiRequestUntil(java.util.concurrent.CountDownLatch release) {
        holdFirstApiRequest = release;
    }

    void apiAlwaysRefuses() {
        apiAlwaysRefuses = true;
    }

    /** A fresh login, as the token endpoint would issue it now. */
    TokenSet login() {
        synchronized (lock) {
            revoked = false;
            return issue(true);
        }
    }

    boolean revoked() {
        synchronized (lock) {
            return revoked;
        }
    }

    private TokenSet issue(boolean withRefresh) {
        generation++;
        currentAccess = "at-" + generation;
        accessExpiresAt = clock.instant().plus(accessTtl);
        TokenSet.Builder tokens = TokenSet.builder(currentAccess).expiresAt(accessExpiresAt);
        if (withRefresh) {
            currentRefresh = "rt-" + generation;
            tokens.refreshToken(currentRefresh);
        }
        return tokens.build();
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8));
            tokenForms.add(form);
            tokenAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (!"refresh_token".equals(form.get("grant_type"))) {
                send(exchange, 200, "{\"access_token\":\"cc-1\",\"token_type\":\"Bearer\",\"expires_in\":60}");
                return;
            }
            refreshRequests.incrementAndGet();
            if (tokenMode == TokenMode.UNAVAILABLE) {
                send(exchange, 503, "<html>down for maintenance</html>");
                return;
            }
            synchronized (lock) {
                if (revoked || !form.get("refresh_token").equals(currentRefresh)) {
                    // Strict rotation: a retired refresh token means two holders; revoke the login.
                    revoked = true;
                    send(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token reused\"}");
                    return;
                }
                boolean rotate = tokenMode == TokenMode.ROTATE;
                TokenSet next = issue(rotate);
                send(exchange, 200, "{\"access_token\":\"" + next.accessToken() + "\",\"token_type\":\"bearer\","
                        + "\"expires_in\":" + accessTtl.toSeconds()
                        + (rotate ? ",\"refresh_token\":\"" + currentRefresh + "\"" : "") + "}");
            }
        }
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (apiRequests.incrementAndGet() == 1 && holdFirstApiRequest != null) {
                firstApiRequestHeld.countDown();
                try {
                    holdFirstApiRequest.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            apiBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
            apiAuthorizations.add(authorization);
            boolean valid;
            synchronized (lock) {
                valid = !apiAlwaysRefuses && !revoked && authorization.equals("Bearer " + currentAccess)
                        && clock.instant().isBefore(accessExpiresAt);
            }
            if (!valid) {
                exchange.getResponseHeaders().set("WWW-Authenticate",
                        "Bearer realm=\"stub\", error=\"invalid_token\", error_description=\"expired\"");
                send(exchange, 401, "{\"error\":\"invalid_token\"}");
                return;
            }
            send(exchange, 200, "{\"ok\":true}");
        }
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
