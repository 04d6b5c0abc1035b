package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.AccessTokenHash;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import com.nimbusds.openid.connect.sdk.validators.InvalidHashException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * ID tokens against Nimbus' OpenID Connect SDK, an independent relying party: its {@code IDTokenValidator} accepts
 * Jeton's ID tokens, nonce and {@code at_hash} included, and Jeton's {@link IdTokenValidator} accepts ID tokens Nimbus
 * made. Nimbus validates against the real time, so these tokens are issued now.
 */
class IdTokenInteropTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final TestClock clock = TestClock.at(NOW);

    @Nested
    @DisplayName("Nimbus validates Jeton's ID tokens")
    class NimbusValidatesJeton {

        @ParameterizedTest
        @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "ES384", "ES512", "RS256", "PS256", "RS512"})
        void withNonceAndAtHash(JwsAlgorithm alg) throws Exception {
            TokenService tokens = TokenService.builder().issuer(ISSUER).audience("https://api.example.com")
                    .keys(KeyProvider.of(JwtKey.generate("k-" + alg, alg))).clock(clock)
                    .idTokens(Duration.ofMinutes(5)).build();
            TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("openid")
                    .nonce("n-0S6_WzA2Mj").acr("urn:example:silver").build());

            IDTokenValidator nimbus = new IDTokenValidator(new Issuer(ISSUER), new ClientID("web"),
                    JWSAlgorithm.parse(alg.id()), JWKSet.parse(tokens.jwksJson()));
            IDTokenClaimsSet claims = nimbus.validate(SignedJWT.parse(pair.idToken().orElseThrow()),
                    new Nonce("n-0S6_WzA2Mj"));
            com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator.validate(
                    new BearerAccessToken(pair.accessToken()), JWSAlgorithm.parse(alg.id()),
                    claims.getAccessTokenHash());

            assertThat(claims.getSubject().getValue()).isEqualTo("alice");
            assertThat(claims.getAuthenticationTime()).isEqualTo(Date.from(NOW));
            assertThat(claims.getACR().getValue()).isEqualTo("urn:example:silver");
            assertThat(claims.getAuthorizedParty().getValue()).isEqualTo("web");
        }

        @ParameterizedTest
        @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "RS256"})
        void andRefusesWhatJetonWouldRefuse(JwsAlgorithm alg) throws Exception {
            TokenService tokens = TokenService.builder().issuer(ISSUER).audience("https://api.example.com")
                    .keys(KeyProvider.of(JwtKey.generate("k-" + alg, alg))).clock(clock)
                    .idTokens(Duration.ofMinutes(5)).build();
            TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("openid")
                    .nonce("n-1").build());
            IDTokenValidator nimbus = new IDTokenValidator(new Issuer(ISSUER), new ClientID("web"),
                    JWSAlgorithm.parse(alg.id()), JWKSet.parse(tokens.jwksJson()));
            IDTokenClaimsSet claims = nimbus.validate(SignedJWT.parse(pair.idToken().orElseThrow()),
                    new Nonce("n-1"));

            assertThatThrownBy(() -> nimbus.validate(SignedJWT.parse(pair.idToken().orElseThrow()),
                    new Nonce("another"))).hasMessageContaining("nonce");
            assertThatThrownBy(() -> com.nimbusds.openid.connect.sdk.validators.AccessTokenValidator.validate(
                    new BearerAccessToken(tokens.issue(IssueRequest.forSubject("alice").client("web")
                            .scopes("openid").build()).accessToken()), JWSAlgorithm.parse(alg.id()),
                    claims.getAccessTokenHash())).isInstanceOf(InvalidHashException.class);
        }
    }

    @Nested
    @DisplayName("Jeton validates Nimbus' ID tokens")
    class JetonValidatesNimbus {

        @ParameterizedTest
        @EnumSource(value = JwsAlgorithm.class, names = {"ES256", "RS256"})
        void withNonceAndAtHash(JwsAlgorithm alg) throws Exception {
            JwtKey key = JwtKey.generate("nimbus-" + alg, alg);
            String accessToken = "SlAV32hkKG-opaque-access-token";
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER).subject("bob").audience(List.of("web", "https://api.example.com"))
                    .claim("azp", "web").issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(300)))
                    .claim("auth_time", NOW.getEpochSecond() - 60).claim("nonce", "n-0S6_WzA2Mj")
                    .claim("at_hash", AccessTokenHash.compute(new BearerAccessToken(accessToken),
                            JWSAlgorithm.parse(alg.id()), null).getValue())
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.parse(alg.id())).keyID(key.kid())
                    .type(JOSEObjectType.JWT).build(), claims);
            PrivateKey privateKey = (PrivateKey) key.signingKey().orElseThrow();
            jwt.sign(alg == JwsAlgorithm.ES256 ? new ECDSASigner((ECPrivateKey) privateKey)
                    : new RSASSASigner(privateKey));

            IdTokenValidator jeton = IdTokenValidator.builder().issuer(ISSUER).clientId("web")
                    .keys(KeyProvider.verifyingOnly(List.of(key))).algorithms(alg).clock(clock).build();
            VerifiedIdToken verified = jeton.validate(jwt.serialize(), "n-0S6_WzA2Mj", accessToken);

            assertThat(verified.subject()).isEqualTo("bob");
            assertThat(verified.audience()).containsExactly("web", "https://api.example.com");
            assertThat(verified.authTime()).contains(NOW.minusSeconds(60));
            assertThat(verified.authorizedParty()).contains("web");
        }
    }
}
