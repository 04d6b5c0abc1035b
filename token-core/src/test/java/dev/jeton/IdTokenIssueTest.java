package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.internal.TokenHashes;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** OpenID Connect ID tokens from {@link TokenService#issue}, and access tokens alone (issue 15, items 1 and 2). */
class IdTokenIssueTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "https://api.example.com";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final JwtKey KEY = JwtKey.generate("es-1", JwsAlgorithm.ES256);

    private final TestClock clock = TestClock.at(START);

    private TokenService service(Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder().issuer(ISSUER).audience(AUDIENCE)
                .keys(KeyProvider.of(KEY)).clock(clock);
        options.accept(builder);
        return builder.build();
    }

    private TokenService oidc() {
        return service(b -> b.idTokens(Duration.ofMinutes(10)));
    }

    private static IssueRequest.Builder login() {
        return IssueRequest.forSubject("alice").client("web").scopes("openid", "profile");
    }

    private static JWTClaimsSet claims(String token) throws ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Nested
    @DisplayName("An openid login gets an ID token (OIDC Core 2)")
    class Issue {

        @Test
        void everyRequiredClaimIsSetFromTheLogin() throws ParseException {
            TokenPair pair = oidc().issue(login().nonce("n-0S6_WzA2Mj").acr("urn:example:silver").amr("pwd", "otp")
                    .authTime(START.minusSeconds(30)).build());

            JWTClaimsSet id = claims(pair.idToken().orElseThrow());
            assertThat(id.getIssuer()).isEqualTo(ISSUER);
            assertThat(id.getSubject()).isEqualTo("alice");
            assertThat(id.getAudience()).containsExactly("web");
            assertThat(id.getIssueTime()).isEqualTo(Date.from(START));
            assertThat(id.getExpirationTime()).isEqualTo(Date.from(START.plus(Duration.ofMinutes(10))));
            assertThat(id.getLongClaim("auth_time")).isEqualTo(START.minusSeconds(30).getEpochSecond());
            assertThat(id.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
            assertThat(id.getStringClaim("acr")).isEqualTo("urn:example:silver");
            assertThat(id.getStringListClaim("amr")).containsExactly("pwd", "otp");
            assertThat(id.getStringClaim("azp")).isEqualTo("web");
            assertThat(id.getStringClaim("at_hash")).isEqualTo(TokenHashes.atHash(KEY, pair.accessToken()));
            assertThat(id.getClaim("sid")).isNull();
        }

        @Test
        void authTimeDefaultsToTheTimeOfIssueAndNonceAcrAmrAreLeftOutWhenNotGiven() throws ParseException {
            JWTClaimsSet id = claims(oidc().issue(login().build()).idToken().orElseThrow());

            assertThat(id.getLongClaim("auth_time")).isEqualTo(START.getEpochSecond());
            assertThat(id.getClaims()).doesNotContainKeys("nonce", "acr", "amr");
        }

        @Test
        void theHeaderTypeIsJwtNeverAtJwt() throws ParseException {
            TokenPair pair = oidc().issue(login().build());

            assertThat(SignedJWT.parse(pair.idToken().orElseThrow()).getHeader().getType())
                    .isEqualTo(JOSEObjectType.JWT);
            assertThat(SignedJWT.parse(pair.accessToken()).getHeader().getType())
                    .isEqualTo(new JOSEObjectType("at+jwt"));
        }

        @Test
        void noOpenidScopeNoIdToken() {
            TokenPair pair = oidc().issue(IssueRequest.forSubject("alice").client("web").scopes("profile").build());

            assertThat(pair.idToken()).isEmpty();
            assertThat(pair.toMap()).doesNotContainKey("id_token");
        }

        @Test
        void idTokensOffByDefault() {
            assertThat(service(b -> { }).issue(login().build()).idToken()).isEmpty();
        }

        @Test
        void theResponseCarriesIdTokenAndToStringHidesIt() {
            TokenPair pair = oidc().issue(login().build());

            assertThat(pair.toMap()).containsEntry("id_token", pair.idToken().orElseThrow());
            assertThat(pair.toJson()).contains("\"id_token\":\"" + pair.idToken().orElseThrow() + "\"");
            assertThat(pair.toString()).contains("idToken=(present)").doesNotContain(pair.idToken().orElseThrow());
        }

        @ParameterizedTest
        @EnumSource(JwsAlgorithm.class)
        void atHashUsesTheHashOfTheAlgorithm(JwsAlgorithm alg) throws ParseException {
            JwtKey key = JwtKey.generate("k", alg);
            TokenService tokens = TokenService.builder().issuer(ISSUER).audience(AUDIENCE).keys(KeyProvider.of(key))
                    .clock(clock).idTokens(Duration.ofMinutes(5)).build();
            TokenPair pair = tokens.issue(login().build());

            int halfBits = alg == JwsAlgorithm.EdDSA ? 256 : alg.hashBits() / 2;
            assertThat(java.util.Base64.getUrlDecoder().decode(claims(pair.idToken().orElseThrow())
                    .getStringClaim("at_hash"))).hasSize(halfBits / 8);
        }

        @Test
        void atHashOfEd448IsHalfOfShake256With114Octets() throws GeneralSecurityException, ParseException {
            JwtKey ed448 = JwtKey.ofKeyPair("ed448", JwsAlgorithm.EdDSA,
                    KeyPairGenerator.getInstance("Ed448").generateKeyPair());
            TokenService tokens = TokenService.builder().issuer(ISSUER).audience(AUDIENCE)
                    .keys(KeyProvider.of(ed448)).clock(clock).idTokens(Duration.ofMinutes(5)).build();
            TokenPair pair = tokens.issue(login().build());

            org.bouncycastle.crypto.digests.SHAKEDigest shake = new org.bouncycastle.crypto.digests.SHAKEDigest(256);
            byte[] octets = pair.accessToken().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            shake.update(octets, 0, octets.length);
            byte[] out = new byte[114];
            shake.doFinal(out, 0, 114);
            assertThat(claims(pair.idToken().orElseThrow()).getStringClaim("at_hash")).isEqualTo(
                    java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(out, 57)));
        }
    }

    @Nested
    @DisplayName("The ID token claims customizer")
    class Customizer {

        @Test
        void addsItsClaims() throws ParseException {
            TokenService tokens = service(b -> b.idTokens(Duration.ofMinutes(10))
                    .idTokenClaimsCustomizer(request -> Map.of("email", request.subject() + "@example.com")));

            assertThat(claims(tokens.issue(login().build()).idToken().orElseThrow()).getStringClaim("email"))
                    .isEqualTo("alice@example.com");
        }

        @Test
        void cannotOverrideAReservedClaim() {
            for (String reserved : List.of("nonce", "auth_time", "at_hash", "azp", "aud", "sub", "acr")) {
                TokenService tokens = service(b -> b.idTokens(Duration.ofMinutes(10))
                        .idTokenClaimsCustomizer(request -> Map.of(reserved, "x")));

                assertThatThrownBy(() -> tokens.issue(login().build()))
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("ID token claims customizer").hasMessageContaining("'" + reserved + "'");
            }
        }

        @Test
        void needsIdTokens() {
            assertThatThrownBy(() -> service(b -> b.idTokenClaimsCustomizer(request -> Map.of())))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("idTokens");
        }
    }

    @Nested
    @DisplayName("The two token kinds are never confused")
    class Confusion {

        @Test
        void theAccessTokenValidatorRefusesAnIdToken() {
            TokenService tokens = oidc();
            String idToken = tokens.issue(login().build()).idToken().orElseThrow();

            InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class,
                    () -> tokens.validate(idToken));

            assertThat(refused.reason()).isEqualTo(InvalidTokenException.Reason.WRONG_TYPE);
            assertThat(refused.oauthError()).isEqualTo("invalid_token");
        }

        @Test
        void theIdTokenValidatorRefusesAnAccessToken() {
            String accessToken = oidc().issue(login().build()).accessToken();
            IdTokenValidator validator = IdTokenValidator.builder().issuer(ISSUER).clientId("web")
                    .keys(KeyProvider.of(KEY)).clock(clock).build();

            InvalidIdTokenException refused = catchThrowableOfType(InvalidIdTokenException.class,
                    () -> validator.validate(accessToken));

            assertThat(refused.reason()).isEqualTo(InvalidIdTokenException.Reason.WRONG_TYPE);
            assertThat(refused.oauthError()).isEqualTo("invalid_token");
        }
    }

    @Nested
    @DisplayName("issueAccessToken: an access token alone, for client_credentials")
    class AccessOnly {

        @Test
        void noRefreshTokenNoIdTokenNoSession() throws ParseException {
            TokenPair pair = oidc().issueAccessToken(IssueRequest.forSubject("reporting-job").client("reporting-job")
                    .scopes("openid", "reports:read").build());

            assertThat(pair.refreshToken()).isEmpty();
            assertThat(pair.idToken()).isEmpty();
            assertThat(pair.sessionId()).isEmpty();
            assertThat(claims(pair.accessToken()).getClaims()).doesNotContainKey("sid");
            assertThat(oidc().validate(pair.accessToken()).clientId()).isEqualTo("reporting-job");
        }
    }
}
