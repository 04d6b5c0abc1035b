package dev.jeton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad requests get the right OAuth error and status, and change nothing. */
class DemoServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WEB = "Basic " + Base64.getEncoder().encodeToString("web:web-secret".getBytes(
            StandardCharsets.UTF_8));

    private final HttpClient http = HttpClient.newHttpClient();
    private DemoServer server;
    private String refreshToken;

    @BeforeEach
    void startAndLogIn() throws Exception {
        server = DemoServer.start(DemoServer.Config.defaults());
        JsonNode login = JSON.readTree(post("/oauth/token", WEB, "application/x-www-form-urlencoded",
                "grant_type=password&username=alice&password=wonderland").body());
        refreshToken = login.path("refresh_token").asText();
        assertThat(refreshToken).startsWith("jrt_");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String authorization, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> token(String body) throws Exception {
        return post("/oauth/token", WEB, "application/x-www-form-urlencoded", body);
    }

    private void assertError(HttpResponse<String> response, int status, String error) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo(error);
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    }

    /** The refresh token of the login was not consumed, and no other session appeared. */
    private void assertNothingChanged() throws Exception {
        assertThat(server.tokens().sessions("alice")).hasSize(1);
        HttpResponse<String> refreshed = token("grant_type=refresh_token&refresh_token=" + refreshToken);
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
    }

    @Test
    void unknownGrantTypeIsUnsupportedGrantType() throws Exception {
        assertError(token("grant_type=client_credentials"), 400, "unsupported_grant_type");
        assertNothingChanged();
    }

    @Test
    void missingParametersAreInvalidRequest() throws Exception {
        assertError(token(""), 400, "invalid_request");
        assertError(token("grant_type=refresh_token"), 400, "invalid_request");
        assertError(token("grant_type=password&username=alice"), 400, "invalid_request");
        assertError(token("grant_type=refresh_token&refresh_token=" + refreshToken + "&refresh_token=x"), 400,
                "invalid_request");
        assertNothingChanged();
    }

    @Test
    void wrongClientSecretIsInvalidClientWithABasicChallenge() throws Exception {
        String wrong = "Basic " + Base64.getEncoder().encodeToString("web:guess".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = post("/oauth/token", wrong, "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + refreshToken);

        assertError(response, 401, "invalid_client");
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Basic ");
        assertError(post("/oauth/token", null, "application/x-www-form-urlencoded",
                "grant_type=refresh_token&refresh_token=" + refreshToken), 401, "invalid_client");
        assertError(post("/oauth/introspect", wrong, "application/x-www-form-urlencoded", "token=x"), 401,
                "invalid_client");
        assertNothingChanged();
    }

    @Test
    void wrongPasswordIsInvalidGrant() throws Exception {
        assertError(token("grant_type=password&username=alice&password=guess"), 400, "invalid_grant");
        assertError(token("grant_type=password&username=nobody&password=guess"), 400, "invalid_grant");
        assertNothingChanged();
    }

    @Test
    void malformedTokensAreRefusedAndConsumeNothing() throws Exception {
        assertError(token("grant_type=refresh_token&refresh_token=" + refreshToken.substring(0, 20)), 400,
                "invalid_grant");
        assertError(token("grant_type=refresh_token&refresh_token=not-a-token"), 400, "invalid_grant");
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/me")).header("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.").build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(api, 401, "invalid_token");
        assertThat(api.headers().firstValue("WWW-Authenticate")).get().asString()
                .contains("realm=\"jeton-demo\"").contains("error=\"invalid_token\"");
        assertNothingChanged();
    }

    @Test
    void anApiCallWithoutATokenGetsABareChallenge() throws Exception {
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/me")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"jeton-demo\"");
    }

    @Test
    void anOversizedBodyIsRefused() throws Exception {
        assertError(token("grant_type=refresh_token&refresh_token=" + "a".repeat(10_000)), 413, "invalid_request");
        assertNothingChanged();
    }

    @Test
    void aWrongContentTypeIsInvalidRequest() throws Exception {
        assertError(post("/oauth/token", WEB, "application/json",
                "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"" + refreshToken + "\"}"), 400,
                "invalid_request");
        assertError(post("/oauth/token", WEB, null, "grant_type=refresh_token&refresh_token=" + refreshToken), 400,
                "invalid_request");
        assertNothingChanged();
    }

    @Test
    void aScopeWiderThanGrantedIsInvalidScopeAndConsumesNothing() throws Exception {
        assertError(token("grant_type=refresh_token&refresh_token=" + refreshToken + "&scope=openid%20admin"), 400,
                "invalid_scope");
        assertNothingChanged();
    }

    @Test
    void revokeAndIntrospectFollowRfc7009AndRfc7662() throws Exception {
        HttpResponse<String> unknown = post("/oauth/revoke", WEB, "application/x-www-form-urlencoded",
                "token=jrt_unknown");
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(post("/oauth/introspect", WEB, "application/x-www-form-urlencoded", "token=" + refreshToken)
                .body()).contains("\"active\":true");

        assertThat(post("/oauth/revoke", WEB, "application/x-www-form-urlencoded", "token=" + refreshToken)
                .statusCode()).isEqualTo(200);

        assertThat(post("/oauth/introspect", WEB, "application/x-www-form-urlencoded", "token=" + refreshToken)
                .body()).isEqualTo("{\"active\":false}");
        assertError(token("grant_type=refresh_token&refresh_token=" + refreshToken), 400, "invalid_grant");
    }
}
