package dev.jeton.spring.starter;

import static dev.jeton.spring.starter.Http.basic;
import static dev.jeton.spring.starter.Http.json;
import static dev.jeton.spring.starter.Http.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The whole flow against a real application on a random port, through the starter's endpoints, Spring Security's
 * resource server and the application's own grant. Subclasses choose the database.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class StarterFlowContract {

    static final String TOKEN = "/oauth2/token";
    static final String WEB = basic("web", "web-secret");

    @LocalServerPort
    int port;
    @Autowired
    TestClock clock;
    @Autowired
    TokenService tokens;
    @Autowired
    TokenStore store;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    StarterTestApplication.SeenEvents seen;
    @Autowired
    StarterTestApplication.RefreshingService refreshing;

    Http http;

    @BeforeEach
    void connect() {
        http = new Http("http://127.0.0.1:" + port);
    }

    Map<String, Object> login(String authorization, String... more) {
        Map<String, String> form = params("grant_type", "password", "username", "alice", "password", "wonderland",
                "scope", "openid profile");
        for (int i = 0; i < more.length; i += 2) {
            form.put(more[i], more[i + 1]);
        }
        HttpResponse<String> response = http.postForm(TOKEN, authorization, form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response);
    }

    static String access(Map<String, Object> pair) {
        return (String) pair.get("access_token");
    }

    static String refresh(Map<String, Object> pair) {
        return (String) pair.get("refresh_token");
    }

    HttpResponse<String> refreshPost(String refreshToken) {
        return http.postForm(TOKEN, null, params("grant_type", "refresh_token", "refresh_token", refreshToken,
                "client_id", "web", "client_secret", "web-secret"));
    }

    static void assertOAuthError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        Map<String, Object> body = json(response);
        assertThat(body).containsOnlyKeys("error", "error_description").containsEntry("error", error);
        assertThat((String) body.get("error_description")).matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    }

    @Test
    @DisplayName("The store in use is the one this database variant expects")
    void usesTheExpectedStore() {
        assertThat(store.toString()).contains(expectedStore());
    }

    abstract String expectedStore();

    @Nested
    @DisplayName("A user's session from login to logout")
    class Session {

        @Test
        void loginThroughTheApplicationsGrantHookGivesAPairTheApiAccepts() {
            HttpResponse<String> response = http.postForm(TOKEN, WEB, params("grant_type", "password",
                    "username", "alice", "password", "wonderland", "scope", "openid profile"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(response.headers().firstValue("Pragma")).contains("no-cache");
            Map<String, Object> pair = json(response);
            assertThat(pair).containsEntry("token_type", "Bearer").containsEntry("expires_in", 900)
                    .containsEntry("scope", "openid profile").containsKeys("access_token", "refresh_token");

            HttpResponse<String> me = http.get("/api/me", access(pair));
            assertThat(me.statusCode()).isEqualTo(200);
            assertThat(json(me)).containsEntry("sub", "alice").containsEntry("client_id", "web")
                    .containsEntry("iat_type", "Instant");
            assertThat(http.get("/api/admin", access(pair)).statusCode()).as("roles claim -> ROLE_admin")
                    .isEqualTo(200);
        }

        @Test
        void anExpiredAccessTokenGets401WithWwwAuthenticateAndRefreshingBringsAccessBack() {
            Map<String, Object> pair = login(WEB);
            clock.advance(Duration.ofMinutes(15));

            HttpResponse<String> expired = http.get("/api/me", access(pair));
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value)
                    .startsWith("Bearer error=\"invalid_token\"")
                    .contains("error_description=\"The access token expired\""));
            HttpResponse<String> anonymous = http.get("/api/me", null);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                    assertThat(value).startsWith("Bearer").doesNotContain("error="));

            HttpResponse<String> refreshed = refreshPost(refresh(pair));
            assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
            Map<String, Object> next = json(refreshed);
            assertThat(refresh(next)).isNotEqualTo(refresh(pair));
            assertThat(http.get("/api/me", access(next)).statusCode()).isEqualTo(200);
        }

        @Test
        void replayingARotatedRefreshTokenIsInvalidGrantAndRevokesTheSession() {
            Map<String, Object> pair = login(WEB);
            Map<String, Object> next = json(refreshPost(refresh(pair)));
            int before = seen.events.size();

            assertOAuthError(refreshPost(refresh(pair)), 400, "invalid_grant");
            assertOAuthError(refreshPost(refresh(next)), 400, "invalid_grant");

            assertThat(seen.events.subList(before, seen.events.size()))
                    .filteredOn(TokenEvent.ReuseDetected.class::isInstance).singleElement()
                    .satisfies(event -> assertThat(((TokenEvent.ReuseDetected) event).subject()).isEqualTo("alice"));
            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(refresh(next)).client("web").build()))
                    .isInstanceOfSatisfying(InvalidGrantException.class, e ->
                            assertThat(e.reason()).isEqualTo(InvalidGrantException.Reason.REVOKED));
        }

        @Test
        void revokingTheRefreshTokenEndsTheSessionAndIntrospectionCallsItInactive() {
            Map<String, Object> pair = login(WEB);
            HttpResponse<String> active = http.postForm("/oauth2/introspect", WEB, params("token", refresh(pair)));
            assertThat(json(active)).containsEntry("active", true).containsEntry("sub", "alice")
                    .containsEntry("client_id", "web");

            HttpResponse<String> revoked = http.postForm("/oauth2/revoke", WEB, params("token", refresh(pair),
                    "token_type_hint", "refresh_token"));

            assertThat(revoked.statusCode()).isEqualTo(200);
            assertThat(revoked.body()).isEmpty();
            assertOAuthError(refreshPost(refresh(pair)), 400, "invalid_grant");
            HttpResponse<String> inactive = http.postForm("/oauth2/introspect", WEB, params("token",
                    refresh(pair)));
            assertThat(inactive.statusCode()).isEqualTo(200);
            assertThat(inactive.body()).isEqualTo("{\"active\":false}");
        }

        @Test
        void introspectionDescribesAnAccessTokenAndIsNotForPublicClients() {
            Map<String, Object> pair = login(WEB);

            Map<String, Object> info = json(http.postForm("/oauth2/introspect", WEB, params("token", access(pair))));
            assertThat(info).containsEntry("active", true).containsEntry("sub", "alice")
                    .containsEntry("iss", "https://auth.jeton.test").containsEntry("scope", "openid profile");
            assertThat(http.postForm("/oauth2/introspect", WEB, params("token", "not-a-token")).body())
                    .isEqualTo("{\"active\":false}");
            assertOAuthError(http.postForm("/oauth2/introspect", null, params("token", access(pair),
                    "client_id", "spa")), 401, "invalid_client");
        }
    }

    @Nested
    @DisplayName("Clients authenticate by Basic or by post, against the ClientRegistry")
    class Clients {

        @Test
        void aPublicClientSendsItsIdAloneAndMayNotSendASecret() {
            Map<String, Object> pair = login(null, "client_id", "spa");
            assertThat(http.get("/api/me", access(pair)).body()).contains("\"client_id\":\"spa\"");

            assertOAuthError(http.postForm(TOKEN, null, params("grant_type", "password", "username", "alice",
                    "password", "wonderland", "client_id", "spa", "client_secret", "guess")), 401, "invalid_client");
        }

        @Test
        void clientCredentialsGivesAnAccessTokenAloneWithTheClientsScopes() {
            HttpResponse<String> response = http.postForm(TOKEN, basic("reporting", "reporting-secret"),
                    params("grant_type", "client_credentials"));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Map<String, Object> pair = json(response);
            assertThat(pair).containsEntry("scope", "reports").doesNotContainKey("refresh_token");
            assertThat(http.get("/api/reports", access(pair)).statusCode()).isEqualTo(200);
            HttpResponse<String> notAdmin = http.get("/api/admin", access(pair));
            assertThat(notAdmin.statusCode()).isEqualTo(403);
            assertThat(notAdmin.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                    assertThat(value).startsWith("Bearer error=\"insufficient_scope\""));
        }

        @Test
        void aUserTokenWithoutTheScopeIsForbiddenWith403() {
            HttpResponse<String> response = http.get("/api/reports", access(login(WEB)));

            assertThat(response.statusCode()).isEqualTo(403);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                    assertThat(value).contains("insufficient_scope"));
        }
    }

    @Nested
    @DisplayName("Errors are exactly RFC 6749 §5.2's")
    class Errors {

        @Test
        void aMissingGrantTypeIsInvalidRequest() {
            assertOAuthError(http.postForm(TOKEN, WEB, params("username", "alice")), 400, "invalid_request");
        }

        @Test
        void anUnknownGrantTypeIsUnsupportedGrantType() {
            assertOAuthError(http.postForm(TOKEN, WEB, params("grant_type", "urn:example:magic")), 400,
                    "unsupported_grant_type");
        }

        @Test
        void aGrantTheClientMayNotUseIsUnauthorizedClient() {
            assertOAuthError(http.postForm(TOKEN, WEB, params("grant_type", "client_credentials")), 400,
                    "unauthorized_client");
        }

        @Test
        void aWrongSecretOverBasicIsInvalidClientWith401AndABasicChallenge() {
            HttpResponse<String> response = http.postForm(TOKEN, basic("web", "wrong"), params("grant_type",
                    "password", "username", "alice", "password", "wonderland"));

            assertOAuthError(response, 401, "invalid_client");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                    assertThat(value).startsWith("Basic realm="));
        }

        @Test
        void anUnknownClientIsInvalidClient() {
            assertOAuthError(http.postForm(TOKEN, null, params("grant_type", "password", "client_id", "nobody",
                    "client_secret", "x")), 401, "invalid_client");
            assertOAuthError(http.postForm(TOKEN, null, params("grant_type", "password")), 401, "invalid_client");
        }

        @Test
        void twoAuthenticationMethodsAtOnceAreInvalidRequest() {
            assertOAuthError(http.postForm(TOKEN, WEB, params("grant_type", "password", "client_secret",
                    "web-secret")), 400, "invalid_request");
        }

        @Test
        void aRepeatedParameterIsInvalidRequest() {
            assertOAuthError(http.post(TOKEN, WEB, "grant_type=password&grant_type=password&username=alice"), 400,
                    "invalid_request");
        }

        @Test
        void parametersInTheUrlOrAJsonBodyAreInvalidRequest() {
            assertOAuthError(http.postForm(TOKEN + "?client_secret=web-secret", null, params("grant_type",
                    "password", "client_id", "web")), 400, "invalid_request");
            HttpResponse<String> jsonBody = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + TOKEN)).header("Content-Type", "application/json").header("Authorization", WEB)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"password\"}")).build());
            assertOAuthError(jsonBody, 400, "invalid_request");
        }

        @Test
        void theHooksRefusalIsInvalidGrantWithItsDescription() {
            HttpResponse<String> response = http.postForm(TOKEN, WEB, params("grant_type", "password", "username",
                    "alice", "password", "wrong"));

            assertOAuthError(response, 400, "invalid_grant");
            assertThat(json(response)).containsEntry("error_description", "The username or password is wrong");
        }

        @Test
        void aScopeBeyondTheClientsIsInvalidScope() {
            assertOAuthError(http.postForm(TOKEN, basic("reporting", "reporting-secret"), params("grant_type",
                    "client_credentials", "scope", "reports admin")), 400, "invalid_scope");
        }

        @Test
        void refreshingWithoutATokenOrWithAnotherClientsIsRefused() {
            assertOAuthError(http.postForm(TOKEN, WEB, params("grant_type", "refresh_token")), 400,
                    "invalid_request");
            Map<String, Object> pair = login(WEB);
            assertOAuthError(http.postForm(TOKEN, null, params("grant_type", "refresh_token", "refresh_token",
                    refresh(pair), "client_id", "spa")), 400, "invalid_grant");
            assertThat(refreshPost(refresh(pair)).statusCode()).as("the other client's attempt consumed nothing")
                    .isEqualTo(200);
        }
    }

    @Nested
    @DisplayName("Keys, metadata and metrics are published")
    class Published {

        @Test
        void theJwkSetHasThePublicKeyAndACacheControl() {
            HttpResponse<String> response = http.get("/oauth2/jwks", null);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                    assertThat(type).startsWith("application/jwk-set+json"));
            assertThat(response.headers().firstValue("Cache-Control")).contains("public, max-age=300");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> keys = (List<Map<String, Object>>) json(response).get("keys");
            assertThat(keys).singleElement().satisfies(key -> assertThat(key)
                    .containsEntry("kid", "test-rs256").containsEntry("alg", "RS256").containsEntry("kty", "RSA")
                    .doesNotContainKeys("d", "p", "q"));
        }

        @Test
        @SuppressWarnings("unchecked")
        void theMetadataNamesTheEndpointsUnderTheIssuer() {
            for (String path : List.of("/.well-known/oauth-authorization-server",
                    "/.well-known/openid-configuration")) {
                Map<String, Object> metadata = json(http.get(path, null));
                assertThat(metadata).containsEntry("issuer", "https://auth.jeton.test")
                        .containsEntry("token_endpoint", "https://auth.jeton.test/oauth2/token")
                        .containsEntry("revocation_endpoint", "https://auth.jeton.test/oauth2/revoke")
                        .containsEntry("introspection_endpoint", "https://auth.jeton.test/oauth2/introspect")
                        .containsEntry("jwks_uri", "https://auth.jeton.test/oauth2/jwks");
                assertThat((List<Object>) metadata.get("grant_types_supported"))
                        .contains("refresh_token", "client_credentials", "password");
                assertThat((List<Object>) metadata.get("token_endpoint_auth_methods_supported"))
                        .contains("client_secret_basic", "client_secret_post");
            }
        }

        @Test
        void metricsAreVisibleUnderActuatorMetrics() {
            Map<String, Object> pair = login(WEB);
            http.get("/api/me", access(pair));
            refreshPost(refresh(pair));
            refreshPost(refresh(pair));
            String bearer = access(login(WEB));

            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) json(http.get("/actuator/metrics", bearer)).get("names");
            assertThat(names).contains("jeton.tokens.issued", "jeton.tokens.validations", "jeton.tokens.refreshes",
                    "jeton.tokens.reuse.detected", "jeton.tokens.revocations", "jeton.store.operations",
                    "jeton.purge.runs");
            assertThat(count(bearer, "jeton.tokens.reuse.detected", "")).isGreaterThanOrEqualTo(1);
            assertThat(count(bearer, "jeton.tokens.validations", "?tag=outcome:valid")).isGreaterThanOrEqualTo(1);
            assertThat(count(bearer, "jeton.store.operations", "?tag=operation:rotate")).isGreaterThanOrEqualTo(2);
        }

        private double count(String bearer, String meter, String query) {
            HttpResponse<String> response = http.get("/actuator/metrics/" + meter + query, bearer);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> measurements = (List<Map<String, Object>>) json(response).get("measurements");
            return measurements.stream().filter(m -> m.get("statistic").equals("COUNT")).mapToDouble(m ->
                    ((Number) m.get("value")).doubleValue()).findFirst().orElseThrow();
        }
    }

    @Nested
    @DisplayName("The store's transactions are its own")
    class Transactions {

        @Test
        void aRotationCommitsInsideAnApplicationTransactionThatRollsBack() {
            jdbc.execute("create table if not exists " + StarterTestApplication.RefreshingService.AUDIT_TABLE
                    + " (note varchar(40))");
            jdbc.update("delete from " + StarterTestApplication.RefreshingService.AUDIT_TABLE);
            Map<String, Object> pair = login(WEB);
            AtomicReference<TokenPair> refreshed = new AtomicReference<>();

            assertThatThrownBy(() -> refreshing.refreshThenFail(refresh(pair), "web", refreshed))
                    .isInstanceOf(IllegalStateException.class);

            assertThat(jdbc.queryForObject("select count(*) from "
                    + StarterTestApplication.RefreshingService.AUDIT_TABLE, Integer.class))
                    .as("the application's own write was rolled back").isZero();
            assertThat(refreshed.get()).isNotNull();
            assertThat(refreshPost(refreshed.get().refreshToken().orElseThrow()).statusCode())
                    .as("the successor works: the rotation was committed").isEqualTo(200);
            assertOAuthError(refreshPost(refresh(pair)), 400, "invalid_grant");
        }
    }
}
