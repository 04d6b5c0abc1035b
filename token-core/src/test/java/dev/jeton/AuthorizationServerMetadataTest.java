package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 8414 / OpenID Connect Discovery metadata from {@link TokenService#metadata()} (issue 15, item 4). */
class AuthorizationServerMetadataTest {

    private static final String ISSUER = "https://auth.example.com";

    private static AuthorizationServerMetadata.Builder endpoints(AuthorizationServerMetadata.Builder builder) {
        return builder.jwksUri(ISSUER + "/.well-known/jwks.json").tokenEndpoint(ISSUER + "/oauth/token")
                .revocationEndpoint(ISSUER + "/oauth/revoke").introspectionEndpoint(ISSUER + "/oauth/introspect");
    }

    @Test
    void theServiceFillsInWhatItIsConfiguredWith() {
        TokenService tokens = TokenService.builder().issuer(ISSUER).audience("https://api.example.com")
                .keys(KeyProvider.of(JwtKey.generate("es", JwsAlgorithm.ES256),
                        JwtKey.generate("rs", JwsAlgorithm.RS256)))
                .idTokens(Duration.ofMinutes(5)).build();

        AuthorizationServerMetadata metadata = endpoints(tokens.metadata()).grantTypes("password").build();

        assertThat(metadata.toMap())
                .containsEntry("issuer", ISSUER)
                .containsEntry("jwks_uri", ISSUER + "/.well-known/jwks.json")
                .containsEntry("token_endpoint", ISSUER + "/oauth/token")
                .containsEntry("revocation_endpoint", ISSUER + "/oauth/revoke")
                .containsEntry("introspection_endpoint", ISSUER + "/oauth/introspect")
                .containsEntry("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic"))
                .containsEntry("grant_types_supported", List.of("password"))
                .containsEntry("scopes_supported", List.of("openid"))
                .containsEntry("subject_types_supported", List.of("public"))
                .containsEntry("id_token_signing_alg_values_supported", List.of("ES256", "RS256"))
                .containsEntry("response_types_supported", List.of());
    }

    @Test
    void nimbusReadsItAsOpenIdProviderMetadata() throws Exception {
        TokenService tokens = TokenService.builder().issuer(ISSUER).audience("https://api.example.com")
                .keys(KeyProvider.of(JwtKey.generate("es", JwsAlgorithm.ES256))).idTokens(Duration.ofMinutes(5))
                .build();
        String json = endpoints(tokens.metadata()).authorizationEndpoint(ISSUER + "/authorize")
                .grantTypes("authorization_code").member("code_challenge_methods_supported", List.of("S256"))
                .build().toJson();

        OIDCProviderMetadata parsed = OIDCProviderMetadata.parse(json);

        assertThat(parsed.getIssuer().getValue()).isEqualTo(ISSUER);
        assertThat(parsed.getJWKSetURI().toString()).isEqualTo(ISSUER + "/.well-known/jwks.json");
        assertThat(parsed.getIDTokenJWSAlgs()).extracting(Object::toString).containsExactly("ES256");
        assertThat(parsed.getResponseTypes()).extracting(Object::toString).containsExactly("code");
        assertThat(parsed.getIntrospectionEndpointURI().toString()).isEqualTo(ISSUER + "/oauth/introspect");
        assertThat(parsed.getCodeChallengeMethods()).extracting(Object::toString).containsExactly("S256");
    }

    @Test
    void urlsMustBeHttpsAndTheIssuerPlain() {
        assertThatThrownBy(() -> AuthorizationServerMetadata.builder("http://auth.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> AuthorizationServerMetadata.builder(ISSUER + "?tenant=1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("query");
        assertThatThrownBy(() -> AuthorizationServerMetadata.builder(ISSUER).tokenEndpoint("/oauth/token"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token_endpoint");
        assertThat(AuthorizationServerMetadata.builder("http://127.0.0.1:8080").jwksUri("http://127.0.0.1:8080/jwks")
                .tokenEndpoint("http://127.0.0.1:8080/token").build().toMap()).containsKey("token_endpoint");
    }

    @Test
    void requiredEndpointsAndOwnMembersAreChecked() {
        assertThatThrownBy(() -> AuthorizationServerMetadata.builder(ISSUER).jwksUri(ISSUER + "/jwks").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("tokenEndpoint");
        assertThatThrownBy(() -> AuthorizationServerMetadata.builder(ISSUER).member("issuer", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own builder method");
    }
}
