package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.jeton.InvalidIdTokenException.Reason;
import dev.jeton.internal.TokenHashes;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link IdTokenValidator} against ID tokens forged by hand (with Nimbus), one broken rule at a time. */
class IdTokenValidatorTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final JwtKey ES = JwtKey.generate("es-1", JwsAlgorithm.ES256);
    private static final JwtKey RS = JwtKey.generate("rs-1", JwsAlgorithm.RS256);
    private static final String ACCESS_TOKEN = "an-access-token";

    private final TestClock clock = TestClock.at(NOW);
    private final IdTokenValidator validator = IdTokenValidator.builder().issuer(ISSUER).clientId("web")
            .keys(KeyProvider.verifyingOnly(List.of(ES, RS))).algorithms(JwsAlgorithm.ES256).clock(clock).build();

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience("web")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(600)))
                .claim("auth_time", NOW.getEpochSecond()).claim("nonce", "n-1")
                .claim("at_hash", TokenHashes.atHash(ES, ACCESS_TOKEN));
    }

    private static String forge(JwtKey key, JOSEObjectType type, JWTClaimsSet claims) {
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.parse(key.algorithm().id())).keyID(key.kid());
        if (type != null) {
            header.type(type);
        }
        SignedJWT jwt = new SignedJWT(header.build(), claims);
        PrivateKey privateKey = (PrivateKey) key.signingKey().orElseThrow();
        try {
            jwt.sign(key.algorithm() == JwsAlgorithm.ES256 ? new ECDSASigner((ECPrivateKey) privateKey)
                    : new RSASSASigner(privateKey));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static String forge(UnaryOperator<JWTClaimsSet.Builder> change) {
        return forge(ES, JOSEObjectType.JWT, change.apply(claims()).build());
    }

    private static Reason refusal(Runnable validation) {
        InvalidIdTokenException e = catchThrowableOfType(InvalidIdTokenException.class, validation::run);
        assertThat(e).as("refused").isNotNull();
        assertThat(e.oauthError()).isEqualTo("invalid_token");
        assertThat(e.httpStatus()).isEqualTo(401);
        return e.reason();
    }

    @Test
    void aWellFormedTokenPasses() {
        VerifiedIdToken verified = validator.validate(forge(c -> c), "n-1", ACCESS_TOKEN);

        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.nonce()).contains("n-1");
        assertThat(verified.authTime()).contains(NOW);
        assertThat(verified.toString()).doesNotContain("n-1");
    }

    @Test
    void aTokenWithoutTypIsAnIdToken() {
        assertThat(validator.validate(forge(ES, null, claims().build()), "n-1").subject()).isEqualTo("alice");
    }

    @Nested
    @DisplayName("Forged tokens are refused")
    class Forged {

        @Test
        void wrongAudience() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.audience("mobile")), "n-1")))
                    .isEqualTo(Reason.WRONG_AUDIENCE);
        }

        @Test
        void missingNonce() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.claim("nonce", null)), "n-1")))
                    .isEqualTo(Reason.NONCE_MISMATCH);
        }

        @Test
        void mismatchedNonce() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.claim("nonce", "n-2")), "n-1")))
                    .isEqualTo(Reason.NONCE_MISMATCH);
        }

        @Test
        void aNonceWhereNoneWasSent() {
            assertThat(refusal(() -> validator.validate(forge(c -> c)))).isEqualTo(Reason.NONCE_MISMATCH);
        }

        @Test
        void badAtHash() {
            assertThat(refusal(() -> validator.validate(forge(c -> c), "n-1", "another-access-token")))
                    .isEqualTo(Reason.AT_HASH_MISMATCH);
            assertThat(refusal(() -> validator.validate(forge(c -> c.claim("at_hash", "AAAAAAAAAAAAAAAAAAAAAA")),
                    "n-1", ACCESS_TOKEN))).isEqualTo(Reason.AT_HASH_MISMATCH);
        }

        @Test
        void anAccessTokenTypePresentedAsAnIdToken() {
            assertThat(refusal(() -> validator.validate(forge(ES, new JOSEObjectType("at+jwt"), claims().build()),
                    "n-1"))).isEqualTo(Reason.WRONG_TYPE);
            assertThat(refusal(() -> validator.validate(forge(ES, new JOSEObjectType("application/at+jwt"),
                    claims().build()), "n-1"))).isEqualTo(Reason.WRONG_TYPE);
        }

        @Test
        void azpAbsentWithSeveralAudiences() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.audience(List.of("web", "mobile"))), "n-1")))
                    .isEqualTo(Reason.WRONG_AUTHORIZED_PARTY);
            assertThat(validator.validate(forge(c -> c.audience(List.of("web", "mobile")).claim("azp", "web")),
                    "n-1").audience()).containsExactly("web", "mobile");
        }

        @Test
        void azpOfAnotherClient() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.claim("azp", "mobile")), "n-1")))
                    .isEqualTo(Reason.WRONG_AUTHORIZED_PARTY);
        }

        @Test
        void wrongIssuer() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.issuer(ISSUER + "/")), "n-1")))
                    .isEqualTo(Reason.WRONG_ISSUER);
        }

        @Test
        void expiredAtExp() {
            clock.advance(Duration.ofSeconds(600));
            assertThat(refusal(() -> validator.validate(forge(c -> c), "n-1"))).isEqualTo(Reason.EXPIRED);
        }

        @Test
        void issuedInTheFuture() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.issueTime(Date.from(NOW.plusSeconds(5)))),
                    "n-1"))).isEqualTo(Reason.NOT_YET_VALID);
        }

        @Test
        void anAlgorithmOutsideTheAllowList() {
            assertThat(refusal(() -> validator.validate(forge(RS, JOSEObjectType.JWT, claims().build()), "n-1")))
                    .isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void aDateAsAString() {
            assertThat(refusal(() -> validator.validate(forge(c -> c.claim("exp", "1893456000")), "n-1")))
                    .isEqualTo(Reason.MALFORMED);
        }

        @Test
        void aBadSignature() {
            String token = forge(c -> c);
            String other = forge(c -> c.subject("mallory"));
            String spliced = other.substring(0, other.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
            assertThat(refusal(() -> validator.validate(spliced, "n-1"))).isEqualTo(Reason.BAD_SIGNATURE);
        }

        @Test
        void tooLargeBeforeAnyDecoding() {
            assertThat(refusal(() -> validator.validate("x".repeat(9000), "n-1"))).isEqualTo(Reason.TOO_LARGE);
        }
    }

    @Nested
    @DisplayName("A refreshed ID token belongs to the same login (OIDC Core 12.2)")
    class Refreshed {

        private final VerifiedIdToken login = validator.validate(forge(c -> c), "n-1", ACCESS_TOKEN);

        @Test
        void withoutNonceAndALaterIat() {
            clock.advance(Duration.ofMinutes(5));
            String refreshed = forge(c -> c.claim("nonce", null).issueTime(Date.from(NOW.plusSeconds(300)))
                    .expirationTime(Date.from(NOW.plusSeconds(900))));

            assertThat(validator.validateRefreshed(refreshed, login, ACCESS_TOKEN).nonce()).isEmpty();
        }

        @Test
        void withTheLoginsNonce() {
            assertThat(validator.validateRefreshed(forge(c -> c), login, ACCESS_TOKEN).nonce()).contains("n-1");
        }

        @Test
        void notWithAnotherNonce() {
            assertThat(refusal(() -> validator.validateRefreshed(forge(c -> c.claim("nonce", "n-2")), login,
                    ACCESS_TOKEN))).isEqualTo(Reason.NONCE_MISMATCH);
        }

        @Test
        void notForAnotherSubjectOrAuthenticationTime() {
            assertThat(refusal(() -> validator.validateRefreshed(forge(c -> c.subject("mallory")), login,
                    ACCESS_TOKEN))).isEqualTo(Reason.NOT_SAME_LOGIN);
            assertThat(refusal(() -> validator.validateRefreshed(forge(c -> c.claim("auth_time",
                    NOW.getEpochSecond() - 1)), login, ACCESS_TOKEN))).isEqualTo(Reason.NOT_SAME_LOGIN);
        }
    }
}
