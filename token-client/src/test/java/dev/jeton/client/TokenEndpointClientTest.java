package dev.jeton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.jeton.testing.TestClock;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenEndpointClientTest {

    private final TestClock clock = TestClock.fixed();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
    private volatile boolean chunked;
    private volatile boolean hang;
    private volatile boolean stallBody;
    private volatile Map<String, String> form;
    private volatile String authorization;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                form = StubServer.form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (hang) {
                    release.await();
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (stallBody) {
                    exchange.sendResponseHeaders(200, 0);
                    exchange.getResponseBody().write('{');
                    exchange.getResponseBody().flush();
                    release.await();
                }
                exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private TokenEndpointClient client(ClientAuthentication authentication) {
        return TokenEndpointClient.builder(uri("/token")).revocationEndpoint(uri("/revoke"))
                .clientAuthentication(authentication).clock(clock).timeout(Duration.ofSeconds(5)).build();
    }

    private TokenEndpointClient basic() {
        return client(ClientAuthentication.basic("web", "s3cret:&"));
    }

    @Test
    void clientCredentialsAuthenticateWithBasicAndParseTheResponse() throws Exception {
        body = "{\"access_token\":\"at\",\"token_type\":\"bearer\",\"expires_in\":3600,\"scope\":\"a b\","
                + "\"unknown\":{\"nested\":[1,2]}}";

        TokenSet tokens = basic().clientCredentials(List.of("a", "b"));

        assertThat(form).containsExactly(Map.entry("grant_type", "client_credentials"), Map.entry("scope", "a b"));
        assertThat(new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("web:s3cret%3A%26");
        assertThat(tokens.accessToken()).isEqualTo("at");
        assertThat(tokens.isBearer()).isTrue();
        assertThat(tokens.expiresAt()).contains(clock.instant().plusSeconds(3600));
        assertThat(tokens.scopes()).containsExactly("a", "b");
        assertThat(tokens.refreshToken()).isEmpty();
        assertThat(tokens.idToken()).isEmpty();
    }

    @Test
    void clientSecretPostPutsTheCredentialsInTheBody() throws Exception {
        client(ClientAuthentication.post("web", "secret")).refresh("rt-1");

        assertThat(authorization).isNull();
        assertThat(form).containsEntry("grant_type", "refresh_token").containsEntry("refresh_token", "rt-1")
                .containsEntry("client_id", "web").containsEntry("client_secret", "secret");
    }

    @Test
    void aPublicClientSendsOnlyItsId() throws Exception {
        client(ClientAuthentication.publicClient("cli")).refresh("rt-1");

        assertThat(authorization).isNull();
        assertThat(form).containsEntry("client_id", "cli").doesNotContainKey("client_secret");
    }

    @Test
    @SuppressWarnings("deprecation")
    void thePasswordGrantSendsTheCredentials() throws Exception {
        basic().password("alice", "wonder land", Set.of());

        assertThat(form).containsExactly(Map.entry("grant_type", "password"), Map.entry("username", "alice"),
                Map.entry("password", "wonder land"));
    }

    @Test
    void theAuthorizationCodeGrantSendsTheRedirectAndTheVerifier() throws Exception {
        Pkce pkce = Pkce.generate();

        basic().authorizationCode("code-1", URI.create("https://app.example.com/cb"), pkce);

        assertThat(form).containsEntry("grant_type", "authorization_code").containsEntry("code", "code-1")
                .containsEntry("redirect_uri", "https://app.example.com/cb")
                .containsEntry("code_verifier", pkce.verifier());
    }

    @Test
    void pkceMatchesTheExampleOfRfc7636AppendixB() {
        Pkce pkce = Pkce.ofVerifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");

        assertThat(pkce.challenge()).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assertThat(pkce.method()).isEqualTo("S256");
        assertThat(Pkce.generate().verifier()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.generate().verifier()).isNotEqualTo(Pkce.generate().verifier());
        assertThat(pkce.toString()).doesNotContain(pkce.verifier());
        assertThatThrownBy(() -> Pkce.ofVerifier("short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pkce.ofVerifier("a".repeat(42) + "!")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdTokenAndARefreshTokenAreKept() throws Exception {
        body = "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"refresh_token\":\"rt-2\","
                + "\"id_token\":\"eyJ.eyJ.sig\"}";

        TokenSet tokens = basic().refresh("rt-1");

        assertThat(tokens.refreshToken()).contains("rt-2");
        assertThat(tokens.idToken()).contains("eyJ.eyJ.sig");
        assertThat(tokens.expiresAt()).isEmpty();
        assertThat(tokens.toString()).doesNotContain("at\"", "rt-2", "eyJ");
    }

    @Test
    void errorResponsesBecomeTypedExceptions() {
        status = 400;
        body = "{\"error\":\"invalid_grant\",\"error_description\":\"expired\\u0007 refresh token\"}";
        assertThatThrownBy(() -> basic().refresh("rt-1")).isInstanceOf(InvalidGrantException.class)
                .hasMessage("the authorization server answered HTTP 400 invalid_grant: expired refresh token")
                .satisfies(e -> {
                    OAuthErrorException error = (OAuthErrorException) e;
                    assertThat(error.error()).isEqualTo(OAuthError.INVALID_GRANT);
                    assertThat(error.httpStatus()).isEqualTo(400);
                    assertThat(error.description()).contains("expired refresh token");
                    assertThat(error.retryable()).isFalse();
                });

        status = 401;
        body = "{\"error\":\"invalid_client\"}";
        assertThatThrownBy(() -> basic().refresh("rt-1")).isInstanceOf(InvalidClientException.class);

        status = 400;
        body = "{\"error\":\"invalid_scope\"}";
        assertThatThrownBy(() -> basic().refresh("rt-1")).isInstanceOf(InvalidScopeException.class);

        body = "{\"error\":\"unsupported_grant_type\",\"error_uri\":\"https://docs.example.com/e\"}";
        assertThatThrownBy(() -> basic().refresh("rt-1")).isExactlyInstanceOf(OAuthErrorException.class)
                .satisfies(e -> {
                    assertThat(((OAuthErrorException) e).error()).isEqualTo(OAuthError.UNSUPPORTED_GRANT_TYPE);
                    assertThat(((OAuthErrorException) e).errorUri()).contains("https://docs.example.com/e");
                });

        body = "{\"error\":\"slow_down\"}";
        assertThatThrownBy(() -> basic().refresh("rt-1")).isExactlyInstanceOf(OAuthErrorException.class)
                .satisfies(e -> {
                    assertThat(((OAuthErrorException) e).error()).isEqualTo(OAuthError.OTHER);
                    assertThat(((OAuthErrorException) e).errorCode()).isEqualTo("slow_down");
                });
    }

    @Test
    void aServerErrorIsUnavailableAndRetryable() {
        status = 503;
        body = "<html>maintenance</html>";

        assertThatThrownBy(() -> basic().refresh("rt-1")).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("HTTP 503")
                .satisfies(e -> {
                    assertThat(((TokenEndpointUnavailableException) e).httpStatus()).hasValue(503);
                    assertThat(((TokenClientException) e).retryable()).isTrue();
                });
    }

    @Test
    void aServerThatDoesNotAnswerTimesOut() {
        hang = true;
        TokenEndpointClient client = TokenEndpointClient.builder(uri("/token"))
                .clientAuthentication(ClientAuthentication.publicClient("cli")).timeout(Duration.ofMillis(300))
                .build();

        assertThatThrownBy(() -> client.refresh("rt-1")).isInstanceOf(TokenEndpointUnavailableException.class)
                .hasMessageContaining("timed out after 300 ms")
                .satisfies(e -> assertThat(((TokenEndpointUnavailableException) e).httpStatus()).isEmpty());
    }

    @Test
    void aBodyThatStallsAfterTheHeadersTimesOutToo() {
        stallBody = true;
        TokenEndpointClient client = TokenEndpointClient.builder(uri("/token"))
                .clientAuthentication(ClientAuthentication.publicClient("cli")).timeout(Duration.ofMillis(300))
                .build();

        // The guard turns a hang into a failure; the client must give up after 300 ms.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> client.refresh("rt-1"))
                .isInstanceOf(TokenEndpointUnavailableException.class).hasMessageContaining("timed out after 300 ms"));
    }

    @Test
    void aResponseLargerThanTheLimitIsRefusedWithOrWithoutContentLength() {
        TokenEndpointClient client = TokenEndpointClient.builder(uri("/token"))
                .clientAuthentication(ClientAuthentication.publicClient("cli")).maxResponseBytes(1024).build();
        body = "{\"access_token\":\"" + "a".repeat(2000) + "\",\"token_type\":\"Bearer\"}";

        assertThatThrownBy(() -> client.refresh("rt-1")).isInstanceOf(InvalidTokenResponseException.class)
                .hasMessageContaining("larger than 1024 bytes");
        chunked = true;
        assertThatThrownBy(() -> client.refresh("rt-1")).isInstanceOf(InvalidTokenResponseException.class)
                .hasMessageContaining("larger than 1024 bytes");
    }

    @Test
    void responsesThatAreNotTokenResponsesAreRefused() {
        for (String bad : List.of("not json", "[]", "{\"token_type\":\"Bearer\"}", "{\"access_token\":\"at\"}",
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"access_token\":\"other\"}",
                "{\"access_token\":7,\"token_type\":\"Bearer\"}",
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":-1}",
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":1.5}",
                "{\"access_token\":\"at\",\"token_type\":\"Bearer\"} trailing")) {
            body = bad;
            assertThatThrownBy(() -> basic().refresh("rt-1")).as(bad)
                    .isInstanceOf(InvalidTokenResponseException.class);
        }
        status = 302;
        body = "";
        assertThatThrownBy(() -> basic().refresh("rt-1")).isInstanceOf(InvalidTokenResponseException.class)
                .hasMessageContaining("HTTP 302");
    }

    @Test
    void expiresInAsAStringOfDigitsIsAccepted() throws Exception {
        body = "{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":\"60\"}";

        assertThat(basic().refresh("rt-1").expiresAt()).contains(clock.instant().plusSeconds(60));
    }

    @Test
    void revocationSendsTheTokenAndItsHint() throws Exception {
        body = "";

        basic().revoke("rt-1", TokenTypeHint.REFRESH_TOKEN);

        assertThat(form).containsExactly(Map.entry("token", "rt-1"), Map.entry("token_type_hint", "refresh_token"));
        assertThat(authorization).startsWith("Basic ");

        status = 400;
        body = "{\"error\":\"unsupported_token_type\"}";
        assertThatThrownBy(() -> basic().revoke("at", TokenTypeHint.ACCESS_TOKEN))
                .isInstanceOf(OAuthErrorException.class)
                .satisfies(e -> assertThat(((OAuthErrorException) e).error())
                        .isEqualTo(OAuthError.UNSUPPORTED_TOKEN_TYPE));
    }

    @Test
    void revocationWithoutAnEndpointIsAClearError() {
        TokenEndpointClient client = TokenEndpointClient.builder(uri("/token"))
                .clientAuthentication(ClientAuthentication.publicClient("cli")).build();

        assertThat(client.canRevoke()).isFalse();
        assertThatThrownBy(() -> client.revoke("rt", TokenTypeHint.REFRESH_TOKEN))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("revocationEndpoint");
    }

    @Test
    void extensionGrantsCarryTheirParameters() throws Exception {
        basic().grant("urn:ietf:params:oauth:grant-type:token-exchange", Map.of("subject_token", "st"));

        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .containsEntry("subject_token", "st");
        assertThatThrownBy(() -> basic().grant("x", Map.of("grant_type", "y")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badArgumentsAreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> TokenEndpointClient.builder(URI.create("http://auth.example.com/token")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> TokenEndpointClient.builder(uri("/token")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clientAuthentication");
        assertThatThrownBy(() -> TokenEndpointClient.builder(uri("/token")).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenEndpointClient.builder(uri("/token")).maxResponseBytes(10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> basic().clientCredentials(List.of("two words")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> basic().refresh("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClientAuthentication.basic("web", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publicClient");
        assertThat(form).isNull();
        assertThat(ClientAuthentication.basic("web", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(TokenEndpointClient.builder(URI.create("https://auth.example.com/token"))).isNotNull();
    }
}
