package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A resource server that holds only the JWKS sees revocation through the RFC 7662 introspection endpoint (issue 15,
 * item 5): against a stub endpoint on loopback, answering as the test says.
 */
class IntrospectionClientTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "https://api.example.com";
    private static final JwtKey KEY = JwtKey.generate("k1", JwsAlgorithm.ES256);

    private final TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
    private final TokenService issuer = TokenService.builder().issuer(ISSUER).audience(AUDIENCE)
            .keys(KeyProvider.of(KEY)).clock(clock).build();
    private final AtomicInteger requests = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{\"active\":true}";
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/introspect", this::respond);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void respond(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private IntrospectionClient.Builder client() {
        return IntrospectionClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/introspect")).clientSecretBasic("api", "s3cret:&=").clock(clock).cacheTtl(Duration.ofSeconds(10));
    }

    private AccessTokenValidator resourceServer(UnaryOperator<IntrospectionClient.Builder> options) {
        return AccessTokenValidator.builder().issuer(ISSUER).audience(AUDIENCE).keys(KeyProvider.of(KEY))
                .clock(clock).revocationCheck(options.apply(client()).build()).build();
    }

    private String accessToken() {
        return issuer.issue(IssueRequest.forSubject("alice").client("web").build()).accessToken();
    }

    @Test
    void anActiveTokenIsAcceptedAndTheAnswerCachedForTheTtl() {
        AccessTokenValidator validator = resourceServer(c -> c.onFailure(IntrospectionClient.OnFailure.FAIL_CLOSED));
        String token = accessToken();

        assertThat(validator.validate(token).subject()).isEqualTo("alice");
        clock.advance(Duration.ofSeconds(9));
        validator.validate(token);
        assertThat(requests).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        validator.validate(token);
        assertThat(requests).hasValue(2);
    }

    @Test
    void anInactiveTokenIsRevokedAndStaysRefusedWithoutAskingAgain() {
        AccessTokenValidator validator = resourceServer(c -> c.onFailure(IntrospectionClient.OnFailure.FAIL_CLOSED));
        String token = accessToken();
        answer = "{\"active\":false}";

        for (int i = 0; i < 3; i++) {
            InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class,
                    () -> validator.validate(token));
            assertThat(refused.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(requests).hasValue(1);
    }

    @Test
    void authenticatesWithHttpBasicOfFormEncodedCredentialsAndSendsTheTokenWithItsHint() {
        String token = accessToken();
        resourceServer(c -> c.onFailure(IntrospectionClient.OnFailure.FAIL_CLOSED)).validate(token);

        assertThat(authorizations).containsExactly("Basic " + Base64.getEncoder().encodeToString(
                "api:s3cret%3A%26%3D".getBytes(StandardCharsets.US_ASCII)));
        assertThat(URLDecoder.decode(bodies.get(0), StandardCharsets.UTF_8))
                .isEqualTo("token=" + token + "&token_type_hint=access_token");
    }

    @Test
    void clientSecretPostPutsTheCredentialsInTheBody() {
        AccessTokenValidator validator = AccessTokenValidator.builder().issuer(ISSUER).audience(AUDIENCE)
                .keys(KeyProvider.of(KEY)).clock(clock).revocationCheck(IntrospectionClient.builder(URI.create(
                        "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect"))
                        .clientSecretPost("api", "secret").onFailure(IntrospectionClient.OnFailure.FAIL_CLOSED)
                        .clock(clock).build()).build();

        validator.validate(accessToken());

        assertThat(authorizations).containsExactly("null");
        assertThat(bodies.get(0)).endsWith("&client_id=api&client_secret=secret");
    }

    @Nested
    @DisplayName("When the endpoint cannot answer, the explicit choice applies")
    class Failure {

        @Test
        void failClosedNeitherAcceptsNorRefuses() {
            AccessTokenValidator validator = resourceServer(c -> c.onFailure(
                    IntrospectionClient.OnFailure.FAIL_CLOSED));
            String token = accessToken();
            String[][] answers = {{"500", "{}"}, {"200", "not json"}, {"200", "{\"active\":\"yes\"}"}};
            for (String[] broken : answers) {
                status = Integer.parseInt(broken[0]);
                answer = broken[1];

                IntrospectionException e = catchThrowableOfType(IntrospectionException.class,
                        () -> validator.validate(token));

                assertThat(e.oauthError()).isEqualTo("temporarily_unavailable");
                assertThat(e.httpStatus()).isEqualTo(503);
                assertThat(e.getMessage()).doesNotContain(token).doesNotContain("s3cret");
            }
        }

        @Test
        void failOpenAcceptsOnTheSignatureAndAsksAgainNextTime() {
            AccessTokenValidator validator = resourceServer(c -> c.onFailure(IntrospectionClient.OnFailure.FAIL_OPEN));
            String token = accessToken();
            status = 503;

            assertThat(validator.validate(token).subject()).isEqualTo("alice");
            validator.validate(token);
            assertThat(requests).hasValue(2);
        }

        @Test
        void theChoiceAndTheCredentialsAreRequired() {
            assertThatThrownBy(() -> client().build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("onFailure");
            assertThatThrownBy(() -> IntrospectionClient.builder(URI.create("https://auth.example.com/introspect"))
                    .onFailure(IntrospectionClient.OnFailure.FAIL_OPEN).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("client authentication");
            assertThatThrownBy(() -> IntrospectionClient.builder(URI.create("http://auth.example.com/introspect")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        }

        @Test
        void oneSourceOfRevocationPerValidator() {
            assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).audience(AUDIENCE)
                    .keys(KeyProvider.of(KEY)).revocationCheck(client()
                            .onFailure(IntrospectionClient.OnFailure.FAIL_OPEN).build())
                    .revocationAware(unreachableStore(), Duration.ZERO).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("revocationCheck");
        }
    }

    /** A store the validator must never reach: the build refuses first. */
    private static dev.jeton.store.TokenStore unreachableStore() {
        return (dev.jeton.store.TokenStore) java.lang.reflect.Proxy.newProxyInstance(
                IntrospectionClientTest.class.getClassLoader(), new Class<?>[] {dev.jeton.store.TokenStore.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the store was reached");
                });
    }
}
