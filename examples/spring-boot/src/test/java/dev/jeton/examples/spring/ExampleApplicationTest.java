package dev.jeton.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.store.TokenStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/** The example as a user runs it, on its default H2 database: log in, call the API, list sessions, log out. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ExampleApplicationTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;
    @Autowired
    TokenStore store;

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return JSON.readValue(response.body(), Map.class);
    }

    @Test
    void aUserLogsInCallsTheApiSeesTheSessionAndLogsOutEverywhere() throws Exception {
        HttpResponse<String> login = send(request("/oauth2/token")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "web:web-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "grant_type=password&username=alice&password=wonderland&scope=profile")).build());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        String access = (String) json(login).get("access_token");

        HttpResponse<String> me = send(request("/api/me").header("Authorization", "Bearer " + access).build());
        assertThat(json(me)).containsEntry("sub", "alice").containsEntry("client_id", "web");
        HttpResponse<String> sessions = send(request("/api/sessions").header("Authorization", "Bearer " + access)
                .build());
        assertThat(sessions.body()).contains("\"client_id\":\"web\"");
        assertThat(send(request("/actuator/metrics/jeton.tokens.issued").header("Authorization", "Bearer " + access)
                .build()).statusCode()).as("alice is an admin").isEqualTo(200);

        HttpResponse<String> logout = send(request("/api/logout-all").header("Authorization", "Bearer " + access)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(json(logout)).containsEntry("revoked", 1);
        HttpResponse<String> after = send(request("/api/me").header("Authorization", "Bearer " + access).build());
        assertThat(after.statusCode()).as("revocation-aware validation refuses the session's access token")
                .isEqualTo(401);
        assertThat(send(request("/actuator/health").build()).statusCode()).isEqualTo(200);
        assertThat(store.toString()).contains("JdbcTokenStore", "H2");
    }
}
