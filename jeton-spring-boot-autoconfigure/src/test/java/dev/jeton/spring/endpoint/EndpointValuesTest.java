package dev.jeton.spring.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EndpointValuesTest {

    private static final RegisteredClient CONFIDENTIAL = new RegisteredClient("reports", Optional.of("{noop}s3cret"),
            Set.of("client_credentials"), Set.of("reports", "audit"));
    private static final RegisteredClient UNBOUNDED = new RegisteredClient("web", Optional.empty(), Set.of("password"),
            Set.of());

    @Test
    void neitherAClientNorAGrantRequestShowsItsSecrets() {
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate(JwsAlgorithm.ES256))).build();
        GrantRequest request = new GrantRequest(CONFIDENTIAL, Map.of("username", "alice", "password", "wonderland"),
                tokens);

        assertThat(CONFIDENTIAL.toString()).doesNotContain("s3cret").contains("confidential");
        assertThat(request.toString()).doesNotContain("wonderland").doesNotContain("alice").contains("password");
        assertThat(request.parameter("username")).contains("alice");
        assertThatThrownBy(() -> request.requiredParameter("code")).isInstanceOfSatisfying(
                OAuth2EndpointException.class, e -> assertThat(e.error()).isEqualTo("invalid_request"));
    }

    @Test
    void scopesAreBoundedByTheClientsAndWellFormed() {
        assertThat(TokenEndpoints.scopes(null, CONFIDENTIAL, true)).containsExactlyInAnyOrder("reports", "audit");
        assertThat(TokenEndpoints.scopes("reports", CONFIDENTIAL, true)).containsExactly("reports");
        assertThat(TokenEndpoints.scopes("anything goes", UNBOUNDED, false)).containsExactly("anything", "goes");
        assertThatThrownBy(() -> TokenEndpoints.scopes("reports admin", CONFIDENTIAL, true))
                .isInstanceOfSatisfying(OAuth2EndpointException.class,
                        e -> assertThat(e.error()).isEqualTo("invalid_scope"));
        assertThatThrownBy(() -> TokenEndpoints.scopes("anything", UNBOUNDED, true))
                .isInstanceOf(OAuth2EndpointException.class);
        for (String malformed : new String[] {"a  b", " a", "a\"b", "a\\b", "caf\u00e9"}) {
            assertThatThrownBy(() -> TokenEndpoints.scopes(malformed, UNBOUNDED, false))
                    .as(malformed).isInstanceOf(OAuth2EndpointException.class);
        }
    }

    @Test
    void errorJsonEscapesWhatRfc6749ForbidsInADescription() {
        assertThat(TokenEndpoints.jsonString("The \"code\" is\\wrong\n\u00e9"))
                .isEqualTo("\"The \\\"code\\\" is\\\\wrong\\u000a\\u00e9\"");
    }

    @Test
    void anErrorAnswerHasAClientErrorOrServerErrorStatus() {
        assertThatThrownBy(() -> new OAuth2EndpointException("invalid_grant", "no", 200))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(OAuth2EndpointException.invalidGrant("The code expired").status()).isEqualTo(400);
    }

    @Test
    void aHandlerMayNotTakeJetonsOwnGrants() {
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate(JwsAlgorithm.ES256))).build();
        TokenEndpoints.Paths paths = new TokenEndpoints.Paths("https://issuer.test/", "/t", "/r", "/i", "/j");
        assertThat(paths.baseUrl()).isEqualTo("https://issuer.test");
        assertThatThrownBy(() -> new TokenEndpoints(tokens, id -> Optional.empty(),
                org.springframework.security.crypto.factory.PasswordEncoderFactories.createDelegatingPasswordEncoder(),
                java.util.List.of(GrantHandler.of("refresh_token", request -> null)), paths, "no-cache"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refresh_token");
    }
}
