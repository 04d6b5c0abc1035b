package dev.jeton.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.Session;
import dev.jeton.TokenException;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.RotatingKeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small authorization server and resource server on the JDK's HTTP server, bound to 127.0.0.1, with Jeton doing
 * every token operation and a {@link JdbcTokenStore} keeping refresh tokens (embedded H2 by default, any JDBC URL
 * with {@code --jdbc-url}).
 *
 * <ul>
 * <li>{@code POST /oauth/token}: {@code grant_type=password} (the demo's login; an ID token for {@code openid}, with
 * the {@code nonce} parameter echoed) and {@code refresh_token} (RFC 6749 §4.3, §6); confidential clients authenticate
 * with HTTP Basic or {@code client_secret}. Client {@code legacy} is refreshed in REUSE mode; client {@code spa} gets
 * its refresh token as an HttpOnly cookie and refreshes by cookie with the {@code X-Jeton-Refresh} header;</li>
 * <li>{@code POST /oauth/logout} for a cookie client: revokes and clears the cookie;</li> <li>{@code POST
 * /oauth/revoke} (RFC 7009) and {@code POST /oauth/introspect} (RFC 7662), client-authenticated;</li> <li>{@code GET
 * /.well-known/jwks.json}, with a Cache-Control from the key rotation settings, and {@code GET
 * /.well-known/openid-configuration} = {@code /.well-known/oauth-authorization-server};</li> <li>{@code GET /api/me}, a
 * protected resource; {@code GET /auth/sessions} and {@code POST /auth/logout-all} for the caller.</li>
 * </ul>
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am compile exec:java -Djeton.example=dev.jeton.examples.DemoServer
 * -Dexec.args="--port 8080"}
 */
public final class DemoServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);
    static final String REALM = "jeton-demo";

    /** How to run the server. */
    record Config(int port, String jdbcUrl, String jdbcUser, String jdbcPassword, Duration accessTokenTtl,
                  Clock clock) {

        static Config defaults() {
            return new Config(0, "jdbc:h2:mem:jeton-demo-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "",
                    Duration.ofMinutes(15), Clock.systemUTC());
        }

        Config withPort(int port) {
            return new Config(port, jdbcUrl, jdbcUser, jdbcPassword, accessTokenTtl, clock);
        }

        Config withJdbc(String url, String user, String password) {
            return new Config(port, url, user, password, accessTokenTtl, clock);
        }

        Config withClock(Clock clock) {
            return new Config(port, jdbcUrl, jdbcUser, jdbcPassword, accessTokenTtl, clock);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final HikariDataSource dataSource;
    private final TokenService tokens;
    private final TokenService reuseTokens;
    private final RotatingKeyProvider keys;
    private final CookieMode cookieMode;
    private final String metadata;
    private final BearerAuth bearer;
    private final Accounts accounts;
    private final ClientChecks clients;
    private final String tablePrefix;
    private final AtomicInteger refreshRequests = new AtomicInteger();

    private DemoServer(Config config, String tablePrefix) throws IOException {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(config.jdbcUrl());
        pool.setUsername(config.jdbcUser());
        pool.setPassword(config.jdbcPassword());
        pool.setMaximumPoolSize(8);
        pool.setAutoCommit(false);
        pool.setPoolName("jeton-demo");
        this.dataSource = new HikariDataSource(pool);
        this.tablePrefix = tablePrefix;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), config.port()), 64);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        this.keys = RotatingKeyProvider.builder(JwtKey.generate("demo-es256", JwsAlgorithm.ES256))
                .clock(config.clock()).build();
        TokenStore store = JdbcTokenStore.builder(dataSource).tablePrefix(tablePrefix).createSchemaIfMissing(true)
                .build();
        this.tokens = service(config, base, store, RefreshRotation.ROTATE);
        this.reuseTokens = service(config, base, store, RefreshRotation.REUSE);
        this.cookieMode = new CookieMode(config.clock());
        this.metadata = tokens.metadata()
                .jwksUri(base + "/.well-known/jwks.json")
                .tokenEndpoint(base + "/oauth/token")
                .revocationEndpoint(base + "/oauth/revoke")
                .introspectionEndpoint(base + "/oauth/introspect")
                .grantTypes("password")
                .clientAuthMethods("client_secret_basic", "client_secret_post", "none")
                .build().toJson();
        this.bearer = new BearerAuth(tokens.validator(), REALM);
        this.accounts = Accounts.demo();
        this.clients = new ClientChecks(accounts);
        this.executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/oauth/token", guarded(this::token));
        server.createContext("/oauth/revoke", guarded(this::revoke));
        server.createContext("/oauth/introspect", guarded(this::introspect));
        server.createContext("/oauth/logout", guarded(this::logout));
        server.createContext("/.well-known/jwks.json", guarded(this::jwks));
        server.createContext("/.well-known/openid-configuration", guarded(this::metadata));
        server.createContext("/.well-known/oauth-authorization-server", guarded(this::metadata));
        server.createContext("/api/me", guarded(this::me));
        server.createContext("/auth/sessions", guarded(this::sessions));
        server.createContext("/auth/logout-all", guarded(this::logoutAll));
        server.start();
    }

    private TokenService service(Config config, String issuer, TokenStore store, RefreshRotation rotation) {
        return TokenService.builder()
                .issuer(issuer)
                .audience("jeton-demo-api")
                .keys(keys)
                .store(store)
                .rotation(rotation)
                .idTokens(config.accessTokenTtl())
                .accessTokenTtl(config.accessTokenTtl())
                .revocationAwareValidation(Duration.ZERO)
                .clock(config.clock())
                .build();
    }

    /** Starts a server; the caller closes it. */
    static DemoServer start(Config config) throws IOException {
        return start(config, "jeton_");
    }

    static DemoServer start(Config config, String tablePrefix) throws IOException {
        return new DemoServer(config, tablePrefix);
    }

    /** The port the server listens on (useful with port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    TokenService tokens() {
        return tokens;
    }

    /** How many refresh_token grant requests the token endpoint has received, answered or refused. */
    int refreshRequests() {
        return refreshRequests.get();
    }

    String tablePrefix() {
        return tablePrefix;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        dataSource.close();
    }

    @FunctionalInterface
    private interface Endpoint {
        void handle(HttpExchange exchange) throws IOException, Exchanges.BadRequest;
    }

    /** Every endpoint: bad requests become OAuth errors, Jeton's exceptions the answer they describe. */
    private HttpHandler guarded(Endpoint endpoint) {
        return exchange -> {
            try (exchange) {
                try {
                    endpoint.handle(exchange);
                } catch (Exchanges.BadRequest e) {
                    if (e.status == 401) {
                        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
                    }
                    Exchanges.sendError(exchange, e.status, e.error, e.description);
                } catch (TokenException e) {
                    bearer.send(exchange, e);
                } catch (RuntimeException e) {
                    LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                    Exchanges.sendError(exchange, 500, "server_error", "The server failed");
                }
            }
        };
    }

    private void token(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Map<String, String> form = Exchanges.form(exchange);
        Accounts.Client client = clients.authenticate(exchange, form);
        String grantType = Exchanges.required(form, "grant_type");
        switch (grantType) {
            case "password" -> {
                String username = Exchanges.required(form, "username");
                String password = Exchanges.required(form, "password");
                Set<String> scopes = ClientChecks.scopes(form, client);
                if (!accounts.checkUser(username, password)) {
                    throw new Exchanges.BadRequest(400, "invalid_grant", "The username or password is wrong");
                }
                IssueRequest.Builder login = IssueRequest.forSubject(username).client(client.id()).scopes(scopes)
                        .amr("pwd");
                if (form.containsKey("nonce")) {
                    login.nonce(form.get("nonce"));
                }
                sendTokens(exchange, client, serviceFor(client).issue(login.build()));
            }
            case "refresh_token" -> {
                refreshRequests.incrementAndGet();
                RefreshRequest.Builder request = client.cookie() && !form.containsKey("refresh_token")
                        ? cookieMode.refreshRequest(exchange).client(client.id())
                        : RefreshRequest.of(Exchanges.required(form, "refresh_token")).client(client.id());
                String scope = form.get("scope");
                if (scope != null) {
                    request.scope(scope);   // a malformed one is InvalidScopeException: invalid_scope, 400
                }
                TokenPair pair;
                try {
                    pair = serviceFor(client).refresh(request.build());
                } catch (TokenException e) {
                    if (client.cookie()) {
                        cookieMode.onFailure(exchange, e);
                    }
                    throw e;
                }
                sendTokens(exchange, client, pair);
            }
            default -> throw new Exchanges.BadRequest(400, "unsupported_grant_type",
                    "grant_type must be password or refresh_token");
        }
    }

    private TokenService serviceFor(Accounts.Client client) {
        return client.reuse() ? reuseTokens : tokens;
    }

    private void sendTokens(HttpExchange exchange, Accounts.Client client, TokenPair pair) throws IOException {
        if (client.cookie()) {
            cookieMode.sendTokens(exchange, pair);
        } else {
            Exchanges.sendJson(exchange, 200, pair.toJson());
        }
    }

    private void logout(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Map<String, String> form = Exchanges.form(exchange);
        Accounts.Client client = clients.authenticate(exchange, form);
        if (!client.cookie()) {
            throw new Exchanges.BadRequest(400, "invalid_request", "Logout by cookie is for cookie clients");
        }
        cookieMode.logout(exchange, tokens, client.id());
    }

    private void metadata(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Exchanges.requireMethod(exchange, "GET");
        Exchanges.sendJson(exchange, 200, metadata);
    }

    private void revoke(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Map<String, String> form = Exchanges.form(exchange);
        Accounts.Client client = clients.authenticate(exchange, form);
        tokens.revoke(Exchanges.required(form, "token"), client.id());
        Exchanges.sendEmpty(exchange, 200);
    }

    private void introspect(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Map<String, String> form = Exchanges.form(exchange);
        clients.authenticate(exchange, form);
        Exchanges.sendJson(exchange, 200, tokens.introspect(Exchanges.required(form, "token")).toJson());
    }

    private void jwks(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Exchanges.requireMethod(exchange, "GET");
        exchange.getResponseHeaders().set("Content-Type", "application/jwk-set+json");
        exchange.getResponseHeaders().set("Cache-Control", keys.jwksCacheControl());
        byte[] body = tokens.jwksJson().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private void me(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Exchanges.requireMethod(exchange, "GET");
        Optional<VerifiedAccessToken> token = bearer.authenticate(exchange);
        if (token.isEmpty()) {
            return;
        }
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("sub", token.get().subject());
        me.put("client_id", token.get().clientId());
        me.put("scope", String.join(" ", token.get().scopes()));
        token.get().sessionId().ifPresent(sid -> me.put("sid", sid));
        me.put("exp", token.get().expiresAt().getEpochSecond());
        Exchanges.sendJson(exchange, 200, JsonText.of(me));
    }

    private void sessions(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Exchanges.requireMethod(exchange, "GET");
        Optional<VerifiedAccessToken> token = bearer.authenticate(exchange);
        if (token.isEmpty()) {
            return;
        }
        List<Object> list = new ArrayList<>();
        for (Session session : tokens.sessions(token.get().subject())) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", session.id());
            s.put("client_id", session.clientId());
            s.put("scope", String.join(" ", session.scopes()));
            s.put("created_at", session.createdAt().toString());
            s.put("expires_at", session.expiresAt().toString());
            s.put("current", token.get().sessionId().map(session.id()::equals).orElse(false));
            list.add(s);
        }
        Exchanges.sendJson(exchange, 200, JsonText.of(Map.of("sessions", list)));
    }

    private void logoutAll(HttpExchange exchange) throws IOException, Exchanges.BadRequest {
        Exchanges.requireMethod(exchange, "POST");
        Optional<VerifiedAccessToken> token = bearer.authenticate(exchange);
        if (token.isEmpty()) {
            return;
        }
        int revoked = tokens.revokeAll(token.get().subject());
        Exchanges.sendJson(exchange, 200, JsonText.of(Map.of("revoked_sessions", revoked)));
    }

    /**
     * Starts the server until the process is stopped. Options: {@code --port N} (default 8080),
     * {@code --jdbc-url URL}, {@code --jdbc-user U}, {@code --jdbc-password P} (default: embedded H2 in memory).
     */
    public static void main(String[] args) throws IOException {
        Config config = Config.defaults().withPort(8080);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> config = config.withPort(Integer.parseInt(args[i + 1]));
                case "--jdbc-url" -> config = config.withJdbc(args[i + 1], config.jdbcUser(), config.jdbcPassword());
                case "--jdbc-user" -> config = config.withJdbc(config.jdbcUrl(), args[i + 1], config.jdbcPassword());
                case "--jdbc-password" -> config = config.withJdbc(config.jdbcUrl(), config.jdbcUser(), args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; options: --port, --jdbc-url, --jdbc-user, --jdbc-password");
            }
        }
        DemoServer server = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("Jeton demo server on http://127.0.0.1:" + server.port()
                + " (user alice / wonderland; clients web / web-secret, legacy / legacy-secret in REUSE mode, public "
                + "cli, public spa with a refresh cookie). Ctrl-C stops it.");
    }
}
