package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.testing.TestClock;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interoperability with Nimbus JOSE+JWT, an independent JOSE implementation: each library verifies the other's
 * access tokens, for every algorithm (EdDSA with Ed25519, which Nimbus supports through Tink).
 */
class NimbusInteropTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "https://api.example.com";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private static final Map<JwsAlgorithm, JwtKey> KEYS = new EnumMap<>(JwsAlgorithm.class);

    private TestClock clock;

    @BeforeAll
    static void generateKeys() {
        for (JwsAlgorithm alg : JwsAlgorithm.values()) {
            KEYS.put(alg, JwtKey.generate("nimbus-" + alg.name().toLowerCase(), alg));
        }
    }

    @BeforeEach
    void startClock() {
        clock = TestClock.at(START);
    }

    static Stream<Arguments> everyAlgorithmUnderEveryPolicy() {
        return Arrays.stream(ProviderPolicy.values()).flatMap(policy ->
                Arrays.stream(JwsAlgorithm.values()).map(alg -> Arguments.of(alg, policy)));
    }

    private TokenService service(JwtKey key, ProviderPolicy policy) {
        return TokenService.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .keys(KeyProvider.of(key))
                .clock(clock)
                .providerPolicy(policy)
                .build();
    }

    /** The Ed25519 key as Nimbus' OKP JWK: the raw 32 bytes sit at the end of the X.509 and PKCS#8 encodings. */
    private static OctetKeyPair octetKeyPair(JwtKey key) {
        byte[] x = tail(((PublicKey) key.verificationKey()).getEncoded(), 32);
        OctetKeyPair.Builder builder = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(key.kid());
        key.signingKey().ifPresent(d -> builder.d(Base64URL.encode(tail(d.getEncoded(), 32))));
        return builder.build();
    }

    private static byte[] tail(byte[] encoded, int length) {
        return Arrays.copyOfRange(encoded, encoded.length - length, encoded.length);
    }

    private static JWSVerifier nimbusVerifier(JwtKey key) throws JOSEException {
        return switch (key.algorithm().family()) {
            case HMAC -> new MACVerifier(key.verificationKey().getEncoded());
            case RSA, RSA_PSS -> new RSASSAVerifier((RSAPublicKey) key.verificationKey());
            case ECDSA -> new ECDSAVerifier((ECPublicKey) key.verificationKey());
            case EDDSA -> new Ed25519Verifier(octetKeyPair(key).toPublicJWK());
        };
    }

    private static JWSSigner nimbusSigner(JwtKey key) throws JOSEException {
        return switch (key.algorithm().family()) {
            case HMAC -> new MACSigner(key.verificationKey().getEncoded());
            case RSA, RSA_PSS -> new RSASSASigner((PrivateKey) key.signingKey().orElseThrow());
            case ECDSA -> new ECDSASigner((ECPrivateKey) key.signingKey().orElseThrow());
            case EDDSA -> new Ed25519Signer(octetKeyPair(key));
        };
    }

    @Nested
    @DisplayName("Nimbus verifies tokens issued by Jeton")
    class JetonToNimbus {

        @ParameterizedTest(name = "{0} signed with {1}")
        @MethodSource("dev.jeton.NimbusInteropTest#everyAlgorithmUnderEveryPolicy")
        void nimbusVerifiesSignatureTypeAndClaims(JwsAlgorithm alg, ProviderPolicy policy) throws Exception {
            JwtKey key = KEYS.get(alg);
            TokenPair pair = service(key, policy).issue(IssueRequest.forSubject("user-123").client("web")
                    .scopes("openid", "profile").claim("roles", List.of("admin")).build());

            SignedJWT jwt = SignedJWT.parse(pair.accessToken());

            assertThat(jwt.verify(nimbusVerifier(key))).isTrue();
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.parse(alg.id()));
            assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
            assertThat(jwt.getHeader().getKeyID()).isEqualTo(key.kid());
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo(ISSUER);
            assertThat(claims.getSubject()).isEqualTo("user-123");
            assertThat(claims.getAudience()).containsExactly(AUDIENCE);
            assertThat(claims.getIssueTime()).isEqualTo(Date.from(START));
            assertThat(claims.getExpirationTime()).isEqualTo(Date.from(START.plus(Duration.ofMinutes(15))));
            assertThat(claims.getJWTID()).isEqualTo(pair.accessTokenId());
            assertThat(claims.getStringClaim("client_id")).isEqualTo("web");
            assertThat(claims.getStringClaim("scope")).isEqualTo("openid profile");
            assertThat(claims.getStringListClaim("roles")).containsExactly("admin");
        }

        @ParameterizedTest(name = "{0} signed with {1}")
        @MethodSource("dev.jeton.NimbusInteropTest#everyAlgorithmUnderEveryPolicy")
        void nimbusVerifiesWithTheKeyFromJetonsJwks(JwsAlgorithm alg, ProviderPolicy policy) throws Exception {
            JwtKey key = KEYS.get(alg);
            TokenService service = service(key, policy);
            SignedJWT jwt = SignedJWT.parse(service.issue(IssueRequest.forSubject("user-123").client("web").build())
                    .accessToken());

            List<JWK> published = JWKSet.parse(service.jwksJson()).getKeys();

            if (!alg.isAsymmetric()) {
                assertThat(published).isEmpty();
                return;
            }
            assertThat(published).hasSize(1);
            JWK jwk = published.get(0);
            assertThat(jwk.getKeyID()).isEqualTo(key.kid());
            assertThat(jwk.isPrivate()).isFalse();
            JWSVerifier verifier = switch (alg.family()) {
                case RSA, RSA_PSS -> new RSASSAVerifier((RSAKey) jwk);
                case ECDSA -> new ECDSAVerifier((ECKey) jwk);
                case EDDSA -> new Ed25519Verifier((OctetKeyPair) jwk);
                case HMAC -> throw new AssertionError("secrets are never published");
            };
            assertThat(jwt.verify(verifier)).isTrue();
        }
    }

    @Nested
    @DisplayName("Jeton validates tokens issued by Nimbus")
    class NimbusToJeton {

        private String nimbusToken(JwtKey key, JOSEObjectType type) throws JOSEException {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(key.algorithm().id()))
                    .type(type)
                    .keyID(key.kid())
                    .build();
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .subject("user-123")
                    .audience(AUDIENCE)
                    .issueTime(Date.from(START))
                    .expirationTime(Date.from(START.plusSeconds(300)))
                    .jwtID("nimbus-jti-1")
                    .claim("client_id", "web")
                    .claim("scope", "openid profile")
                    .claim("roles", List.of("admin"))
                    .build();
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(nimbusSigner(key));
            return jwt.serialize();
        }

        private AccessTokenValidator validator(JwtKey key, ProviderPolicy policy) {
            JwtKey verifying = key.algorithm().isAsymmetric()
                    ? JwtKey.ofPublicKey(key.kid(), key.algorithm(), (PublicKey) key.verificationKey())
                    : key;
            return AccessTokenValidator.builder()
                    .issuer(ISSUER)
                    .audience(AUDIENCE)
                    .keys(KeyProvider.verifyingOnly(List.of(verifying)))
                    .clock(clock)
                    .providerPolicy(policy)
                    .build();
        }

        @ParameterizedTest(name = "{0} verified with {1}")
        @MethodSource("dev.jeton.NimbusInteropTest#everyAlgorithmUnderEveryPolicy")
        void jetonValidatesNimbusToken(JwsAlgorithm alg, ProviderPolicy policy) throws Exception {
            JwtKey key = KEYS.get(alg);
            String token = nimbusToken(key, new JOSEObjectType("at+jwt"));

            VerifiedAccessToken verified = validator(key, policy).validate(token);

            assertThat(verified.subject()).isEqualTo("user-123");
            assertThat(verified.clientId()).isEqualTo("web");
            assertThat(verified.issuer()).isEqualTo(ISSUER);
            assertThat(verified.audience()).containsExactly(AUDIENCE);
            assertThat(verified.scopes()).containsExactly("openid", "profile");
            assertThat(verified.jti()).isEqualTo("nimbus-jti-1");
            assertThat(verified.issuedAt()).isEqualTo(START);
            assertThat(verified.expiresAt()).isEqualTo(START.plusSeconds(300));
            assertThat(verified.keyId()).isEqualTo(key.kid());
            assertThat(verified.algorithm()).isEqualTo(alg);
            assertThat(verified.claim("roles", List.class)).contains(List.of("admin"));
        }

        @ParameterizedTest(name = "{0} verified with {1}")
        @MethodSource("dev.jeton.NimbusInteropTest#everyAlgorithmUnderEveryPolicy")
        void jetonRefusesNimbusTokenOfTypeJwt(JwsAlgorithm alg, ProviderPolicy policy) throws Exception {
            JwtKey key = KEYS.get(alg);
            String token = nimbusToken(key, JOSEObjectType.JWT);

            InvalidTokenException e = catchThrowableOfType(
                    InvalidTokenException.class, () -> validator(key, policy).validate(token));

            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.WRONG_TYPE);
        }

        @ParameterizedTest(name = "{0} verified with {1}")
        @MethodSource("dev.jeton.NimbusInteropTest#everyAlgorithmUnderEveryPolicy")
        void jetonRefusesExpiredNimbusToken(JwsAlgorithm alg, ProviderPolicy policy) throws Exception {
            JwtKey key = KEYS.get(alg);
            String token = nimbusToken(key, new JOSEObjectType("at+jwt"));
            clock.advance(Duration.ofSeconds(300));

            InvalidTokenException e = catchThrowableOfType(
                    InvalidTokenException.class, () -> validator(key, policy).validate(token));

            assertThat(e).isNotNull();
            assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.EXPIRED);
        }
    }
}
