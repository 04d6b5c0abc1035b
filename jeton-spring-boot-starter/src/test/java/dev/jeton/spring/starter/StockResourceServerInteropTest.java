package dev.jeton.spring.starter;

import static dev.jeton.spring.starter.Http.json;
import static dev.jeton.spring.starter.Http.params;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stock Spring Boot resource server ({@code spring-boot-starter-security-oauth2-resource-server}, Spring's
 * {@link NimbusJwtDecoder}, no Jeton code) validates tokens issued by the Jeton application, configured with the
 * issuer's JWKS URI and the audience. It runs in this JVM beside the Jeton application, with Jeton's
 * auto-configuration excluded, so that nothing of Jeton's takes part in its validation.
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StockResourceServerInteropTest {

    static final String EXCLUDE_JETON = "dev.jeton.spring.boot.JetonAutoConfiguration,"
            + "dev.jeton.spring.boot.JetonSecurityAutoConfiguration,"
            + "dev.jeton.spring.boot.JetonEndpointsAutoConfiguration,"
            + "dev.jeton.spring.boot.JetonMetricsAutoConfiguration,"
            + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";

    @LocalServerPort
    int jetonPort;

    private ConfigurableApplicationContext stock;
    private ConfigurableApplicationContext stockAcceptingAtJwt;

    /** A stock resource server: an API and Spring Boot's auto-configuration, nothing else. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(StockApi.class)
    static class StockResourceServer {
    }

    /** The same, plus the one bean Spring Security 7's default typ check needs to accept RFC 9068 tokens. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(StockApi.class)
    static class StockResourceServerAcceptingAtJwt {

        @Bean
        JwtTypeValidator rfc9068Type() {
            return new JwtTypeValidator("at+jwt", "application/at+jwt");
        }
    }

    @RestController
    static class StockApi {
        @GetMapping("/hello")
        Map<String, Object> hello(@AuthenticationPrincipal Jwt jwt) {
            return Map.of("sub", jwt.getSubject(), "decoder", "stock");
        }
    }

    @BeforeAll
    void startStockResourceServers() {
        stock = start(StockResourceServer.class);
        stockAcceptingAtJwt = start(StockResourceServerAcceptingAtJwt.class);
    }

    private ConfigurableApplicationContext start(Class<?> application) {
        return new SpringApplicationBuilder(application).properties(
                "server.port=0",
                "spring.autoconfigure.exclude=" + EXCLUDE_JETON,
                // The two settings: where the issuer's keys are, and the audience the tokens must be for.
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri=http://127.0.0.1:" + jetonPort
                        + "/oauth2/jwks",
                "spring.security.oauth2.resourceserver.jwt.audiences=https://api.jeton.test").run();
    }

    @AfterAll
    void stop() {
        if (stock != null) {
            stock.close();
        }
        if (stockAcceptingAtJwt != null) {
            stockAcceptingAtJwt.close();
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private String login() {
        Http jeton = new Http("http://127.0.0.1:" + jetonPort);
        HttpResponse<String> response = jeton.postForm("/oauth2/token", Http.basic("web", "web-secret"),
                params("grant_type", "password", "username", "alice", "password", "wonderland"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) json(response).get("access_token");
    }

    @Test
    void theStockDecoderIsSpringsOwn() {
        assertThat(stock.getBean(JwtDecoder.class)).isInstanceOf(NimbusJwtDecoder.class);
        assertThat(stockAcceptingAtJwt.getBean(JwtDecoder.class)).isInstanceOf(NimbusJwtDecoder.class);
    }

    @Test
    void aStockResourceServerValidatesJetonsAccessTokens() {
        HttpResponse<String> response = new Http("http://127.0.0.1:" + port(stockAcceptingAtJwt))
                .get("/hello", login());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response)).containsEntry("sub", "alice").containsEntry("decoder", "stock");
    }

    @Test
    void withTheTwoSettingsAloneSpringSecurity7RefusesTheRfc9068Type() {
        HttpResponse<String> response = new Http("http://127.0.0.1:" + port(stock)).get("/hello", login());

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value ->
                assertThat(value).contains("invalid_token").contains("typ"));
    }
}
