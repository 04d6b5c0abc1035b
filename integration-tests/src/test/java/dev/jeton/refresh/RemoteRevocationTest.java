package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.jeton.AccessTokenValidator;
import dev.jeton.Introspection;
import dev.jeton.IntrospectionClient;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The trial's finding, closed (issue 15, item 5): a resource server that holds only the public keys refuses a revoked
 * session's access token before it expires, by asking the authorization server's introspection endpoint (here
 * {@link TokenService#introspect} behind a loopback HTTP server that authenticates the resource server).
 */
class RemoteRevocationTest {

    private static final JwtKey KEY = JwtKey.generate("k1", JwsAlgorithm.ES256);
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString("api:api-secret".getBytes(StandardCharsets.US_ASCII));

    private final TestClock clock = TestClock.fixed();
    private final TokenService authorizationServer = TokenService.builder().issuer("https://auth.example.com")
            .audience("https://api.example.com").keys(KeyProvider.of(KEY)).store(new InMemoryTokenStore())
            .clock(clock).build();
    private HttpServer server;

    @BeforeEach
    void startIntrospectionEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/oauth/introspect", exchange -> {
            try (exchange) {
                boolean authenticated = BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"));
                String token = "";
                for (String parameter : new String(exchange.getRequestBody().readAllBytes(),
                        StandardCharsets.UTF_8).split("&")) {
                    if (parameter.startsWith("token=")) {
                        token = URLDecoder.decode(parameter.substring(6), StandardCharsets.UTF_8);
                    }
                }
                Introspection answer = authenticated ? authorizationServer.introspect(token) : null;
                byte[] body = (answer == null ? "{\"error\":\"invalid_client\"}" : answer.toJson())
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(authenticated ? 200 : 401, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private AccessTokenValidator resourceServer(String secret) {
        return AccessTokenValidator.builder().issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.verifyingOnly(java.util.List.of(KEY))).clock(clock)
                .revocationCheck(IntrospectionClient.builder(URI.create("http://127.0.0.1:"
                                + server.getAddress().getPort() + "/oauth/introspect"))
                        .clientSecretBasic("api", secret).cacheTtl(Duration.ofSeconds(5)).clock(clock)
                        .onFailure(IntrospectionClient.OnFailure.FAIL_CLOSED).build())
                .build();
    }

    @Test
    void aRevokedSessionsAccessTokenIsRefusedWithinTheCacheTtl() {
        AccessTokenValidator api = resourceServer("api-secret");
        TokenPair login = authorizationServer.issue(IssueRequest.forSubject("alice").client("web").build());
        assertThat(api.validate(login.accessToken()).subject()).isEqualTo("alice");

        authorizationServer.revoke(login.refreshToken().orElseThrow());
        clock.advance(Duration.ofSeconds(5));

        InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class,
                () -> api.validate(login.accessToken()));
        assertThat(refused.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED);
    }

    @Test
    void aResourceServerThatCannotAuthenticateFailsClosed() {
        AccessTokenValidator api = resourceServer("wrong");
        TokenPair login = authorizationServer.issue(IssueRequest.forSubject("alice").client("web").build());

        assertThat(catchThrowableOfType(dev.jeton.IntrospectionException.class,
                () -> api.validate(login.accessToken())).httpStatus()).isEqualTo(503);
    }
}
