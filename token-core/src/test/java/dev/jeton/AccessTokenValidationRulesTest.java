package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.testing.TestClock;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every validation rule of {@link AccessTokenValidator}, each with a token forged by hand: JSON written as text,
 * base64url from {@link Base64}, signatures from raw JCA. Each refusal sits beside a positive control, the same
 * hand-made token without the defect, which validates.
 */
class AccessTokenValidationRulesTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "https://api.example.com";
    private static final long NOW = 1_700_000_000L;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private static KeyPair rsa;
    private static KeyPair otherRsa;
    private static KeyPair ec256;
    private static KeyPair otherEc256;
    private static KeyPair ec384;
    private static KeyPair ed25519;
    private static KeyPair attackerEc256;
    private static byte[] hmacSecret;
    private static List<JwtKey> keySet;

    private TestClock clock;
    private AccessTokenValidator validator;

    @BeforeAll
    static void generateKeys() throws GeneralSecurityException {
        rsa = pair("RSA", 2048);
        otherRsa = pair("RSA", 2048);
        ec256 = ecPair("secp256r1");
        otherEc256 = ecPair("secp256r1");
        attackerEc256 = ecPair("secp256r1");
        ec384 = ecPair("secp384r1");
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        hmacSecret = new byte[32];
        new SecureRandom().nextBytes(hmacSecret);
        keySet = List.of(
                JwtKey.ofPublicKey("rsa-256", JwsAlgorithm.RS256, rsa.getPublic()),
                JwtKey.ofPublicKey("ps-256", JwsAlgorithm.PS256, otherRsa.getPublic()),
                JwtKey.ofPublicKey("ec-256", JwsAlgorithm.ES256, ec256.getPublic()),
                JwtKey.ofPublicKey("ec-384", JwsAlgorithm.ES384, ec384.getPublic()),
                JwtKey.ofPublicKey("ed-1", JwsAlgorithm.EdDSA, ed25519.getPublic()),
                JwtKey.hmac("hs-256", JwsAlgorithm.HS256, hmacSecret));
    }

    private static KeyPair pair(String algorithm, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair ecPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    @BeforeEach
    void newValidator() {
        clock = TestClock.at(Instant.ofEpochSecond(NOW));
        validator = validator(b -> { });
    }

    private AccessTokenValidator validator(Consumer<AccessTokenValidator.Builder> options) {
        AccessTokenValidator.Builder builder = AccessTokenValidator.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .keys(KeyProvider.verifyingOnly(keySet))
                .clock(clock);
        options.accept(builder);
        return builder.build();
    }

    /** JSON object text from name and raw JSON value pairs, in order, written by hand. */
    private static String json(Map<String, String> members) {
        StringBuilder out = new StringBuilder("{");
        members.forEach((name, rawValue) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append('"').append(name).append("\":").append(rawValue);
        });
        return out.append('}').toString();
    }

    private static String q(String text) {
        return '"' + text + '"';
    }

    private static Map<String, String> header(String alg, String kid) {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("alg", q(alg));
        header.put("typ", q("at+jwt"));
        header.put("kid", q(kid));
        return header;
    }

    private static Map<String, String> claims() {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("iss", q(ISSUER));
        claims.put("sub", q("user-123"));
        claims.put("aud", q(AUDIENCE));
        claims.put("exp", Long.toString(NOW + 600));
        claims.put("iat", Long.toString(NOW));
        claims.put("jti", q("b3c5ZXN0aGUtanRp"));
        claims.put("client_id", q("web"));
        claims.put("scope", q("openid profile"));
        return claims;
    }

    private static Map<String, String> with(Map<String, String> members, String name, String rawValue) {
        Map<String, String> copy = new LinkedHashMap<>(members);
        copy.put(name, rawValue);
        return copy;
    }

    private static Map<String, String> without(Map<String, String> members, String name) {
        Map<String, String> copy = new LinkedHashMap<>(members);
        copy.remove(name);
        return copy;
    }

    private static String b64(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /** {@code header.payload} of two JSON texts. */
    private static String signingInput(String headerJson, String claimsJson) {
        return b64(headerJson) + "." + b64(claimsJson);
    }

    /** Signs with raw JCA as RFC 7518 says {@code alg} signs; ECDSA in JWS's raw r||s form. */
    private static byte[] sign(String alg, Key key, String input) {
        byte[] data = input.getBytes(StandardCharsets.US_ASCII);
        try {
            if (alg.startsWith("HS")) {
                Mac mac = Mac.getInstance("HmacSHA" + alg.substring(2));
                mac.init(key);
                return mac.doFinal(data);
            }
            Signature signature;
            if (alg.startsWith("RS")) {
                signature = Signature.getInstance("SHA" + alg.substring(2) + "withRSA");
            } else if (alg.startsWith("PS")) {
                int bits = Integer.parseInt(alg.substring(2));
                MGF1ParameterSpec mgf = new MGF1ParameterSpec("SHA-" + bits);
                signature = Signature.getInstance("RSASSA-PSS");
                signature.setParameter(new PSSParameterSpec("SHA-" + bits, "MGF1", mgf, bits / 8, 1));
            } else if (alg.startsWith("ES")) {
                signature = Signature.getInstance("SHA" + alg.substring(2) + "withECDSAinP1363Format");
            } else if (alg.equals("EdDSA")) {
                signature = Signature.getInstance("Ed25519");
            } else {
                throw new IllegalArgumentException(alg);
            }
            signature.initSign((PrivateKey) key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(Map<String, String> header, Map<String, String> claims, String alg, Key key) {
        return token(json(header), json(claims), alg, key);
    }

    private static String token(String headerJson, String claimsJson, String alg, Key key) {
        String input = signingInput(headerJson, claimsJson);
        return input + "." + b64(sign(alg, key, input));
    }

    private static String rs256(Map<String, String> claims) {
        return token(header("RS256", "rsa-256"), claims, "RS256", rsa.getPrivate());
    }

    private static String rs256Header(Map<String, String> header) {
        return token(header, claims(), "RS256", rsa.getPrivate());
    }

    private static String es256(Map<String, String> header) {
        return token(header, claims(), "ES256", ec256.getPrivate());
    }

    private static String[] segments(String token) {
        return token.split("\\.", -1);
    }

    private VerifiedAccessToken assertValid(String token) {
        return assertValid(validator, token);
    }

    private static VerifiedAccessToken assertValid(AccessTokenValidator validator, String token) {
        VerifiedAccessToken verified = validator.validate(token);
        assertThat(verified.subject()).isEqualTo("user-123");
        return verified;
    }

    private void assertRefused(String token, Reason reason) {
        assertRefused(validator, token, reason);
    }

    /** The exact reason, the RFC 6750 answer, and a message that echoes nothing of the token. */
    private static void assertRefused(AccessTokenValidator validator, String token, Reason reason) {
        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> validator.validate(token));
        assertThat(e).as("refusal of a forged token").isNotNull();
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.oauthError()).isEqualTo("invalid_token");
        assertThat(e.wwwAuthenticate()).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer error=\"invalid_token\""));
        assertThat(e.description()).isEqualTo(reason.description());
        if (token != null && !token.isEmpty()) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                assertThat(message).doesNotContain(token);
                for (String segment : segments(token)) {
                    if (segment.length() >= 16) {
                        assertThat(message).doesNotContain(segment);
                    }
                }
            }
        }
    }

    @Nested
    @DisplayName("A well-formed token forged by hand")
    class WellFormed {

        @Test
        void validatesForEveryKindOfKeyInTheSet() {
            assertValid(token(header("RS256", "rsa-256"), claims(), "RS256", rsa.getPrivate()));
            assertValid(token(header("PS256", "ps-256"), claims(), "PS256", otherRsa.getPrivate()));
            assertValid(token(header("ES256", "ec-256"), claims(), "ES256", ec256.getPrivate()));
            assertValid(token(header("ES384", "ec-384"), claims(), "ES384", ec384.getPrivate()));
            assertValid(token(header("EdDSA", "ed-1"), claims(), "EdDSA", ed25519.getPrivate()));
            assertValid(token(header("HS256", "hs-256"), claims(), "HS256",
                    new SecretKeySpec(hmacSecret, "HmacSHA256")));
        }

        @Test
        void exposesEveryClaim() {
            VerifiedAccessToken verified = assertValid(rs256(with(claims(), "sid", q("family-1"))));

            assertThat(verified.issuer()).isEqualTo(ISSUER);
            assertThat(verified.audience()).containsExactly(AUDIENCE);
            assertThat(verified.clientId()).isEqualTo("web");
            assertThat(verified.jti()).isEqualTo("b3c5ZXN0aGUtanRp");
            assertThat(verified.scopes()).containsExactly("openid", "profile");
            assertThat(verified.issuedAt()).isEqualTo(Instant.ofEpochSecond(NOW));
            assertThat(verified.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 600));
            assertThat(verified.notBefore()).isEmpty();
            assertThat(verified.sessionId()).contains("family-1");
            assertThat(verified.keyId()).isEqualTo("rsa-256");
            assertThat(verified.algorithm()).isEqualTo(JwsAlgorithm.RS256);
        }
    }

    @Nested
    @DisplayName("Length is checked before anything is decoded")
    class Length {

        /** A valid RS256 token of about {@code length} characters, padded with a filler claim. */
        private String tokenOfLength(int length) {
            String base = rs256(with(claims(), "filler", q("")));
            int filler = Math.max(0, (length - base.length()) * 3 / 4 - 3);
            String token = base;
            while (token.length() < length) {
                token = rs256(with(claims(), "filler", q("x".repeat(filler++))));
            }
            return token;
        }

        @Test
        void tokenLongerThan8192CharactersIsTooLarge() {
            String token = tokenOfLength(8193);
            assertThat(token.length()).isBetween(8193, 8194);

            assertRefused(token, Reason.TOO_LARGE);
        }

        @Test
        void tokenOfAtMost8192CharactersValidates() {
            String token = tokenOfLength(8191);
            assertThat(token.length()).isBetween(8191, 8192);

            assertValid(token);
        }

        @Test
        void oversizedGarbageIsTooLargeRatherThanMalformed() {
            assertRefused("!".repeat(8193), Reason.TOO_LARGE);
            assertRefused("!".repeat(8192), Reason.MALFORMED);
        }

        @Test
        void customMaximumApplies() {
            AccessTokenValidator strict = validator(b -> b.maxTokenLength(600));
            String shortToken = es256(header("ES256", "ec-256"));
            String longToken = rs256(claims());
            assertThat(shortToken.length()).isLessThanOrEqualTo(600);
            assertThat(longToken.length()).isGreaterThan(600);

            assertValid(strict, shortToken);
            assertRefused(strict, longToken, Reason.TOO_LARGE);
            assertValid(longToken);
        }

        @Test
        void customMaximumOutsideItsRangeIsRefused() {
            assertThatThrownBy(() -> AccessTokenValidator.builder().maxTokenLength(255))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokenLength");
            assertThatThrownBy(() -> AccessTokenValidator.builder().maxTokenLength(1024 * 1024 + 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokenLength");
        }
    }

    @Nested
    @DisplayName("The compact serialization must be exactly three non-empty base64url segments")
    class Structure {

        @ParameterizedTest
        @ValueSource(strings = {"", ".", "..", "...", "....", "abc", "abc.def", "a.b.c.d"})
        void tokenOfDotsOrWrongSegmentCountIsMalformed(String token) {
            assertRefused(token, Reason.MALFORMED);
        }

        @Test
        void nullIsMalformed() {
            assertRefused(null, Reason.MALFORMED);
        }

        @Test
        void emptySignatureIsMalformed() {
            String token = rs256(claims());
            String[] s = segments(token);

            assertRefused(s[0] + "." + s[1] + ".", Reason.MALFORMED);
            assertValid(token);
        }

        @Test
        void emptyHeaderOrPayloadIsMalformed() {
            String[] s = segments(rs256(claims()));

            assertRefused("." + s[1] + "." + s[2], Reason.MALFORMED);
            assertRefused(s[0] + ".." + s[2], Reason.MALFORMED);
        }

        @Test
        void jweOfFiveSegmentsIsMalformed() {
            String header = b64("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\",\"typ\":\"at+jwt\",\"kid\":\"rsa-256\"}");
            String jwe = header + "." + b64(new byte[256]) + "." + b64(new byte[12]) + "." + b64(new byte[64])
                    + "." + b64(new byte[16]);

            assertRefused(jwe, Reason.MALFORMED);
        }

        @Test
        void headerWithEncIsMalformedEvenInThreeSegments() {
            Map<String, String> header = with(header("RS256", "rsa-256"), "enc", q("A256GCM"));

            assertRefused(rs256Header(header), Reason.MALFORMED);
            assertValid(rs256Header(header("RS256", "rsa-256")));
        }

        @Test
        void fourSegmentsAreMalformed() {
            String token = rs256(claims());

            assertRefused(token + "." + segments(token)[2], Reason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("Base64url must be strict: unpadded, URL-safe alphabet, canonical")
    class Encoding {

        /** JSON with trailing whitespace so that its UTF-8 length is 1 mod 3, which base64 pads with "==". */
        private String needingPadding(String json) {
            String padded = json;
            while (padded.getBytes(StandardCharsets.UTF_8).length % 3 != 1) {
                padded = padded.substring(0, padded.length() - 1) + " }";
            }
            return padded;
        }

        private String paddedB64(String text) {
            return Base64.getUrlEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        @Test
        void paddedHeaderIsMalformed() {
            String headerJson = needingPadding(json(header("RS256", "rsa-256")));
            String payload = b64(json(claims()));
            String paddedHeader = paddedB64(headerJson);
            assertThat(paddedHeader).endsWith("==");

            String padded = paddedHeader + "." + payload;
            String unpadded = b64(headerJson) + "." + payload;
            assertRefused(padded + "." + b64(sign("RS256", rsa.getPrivate(), padded)), Reason.MALFORMED);
            assertValid(unpadded + "." + b64(sign("RS256", rsa.getPrivate(), unpadded)));
        }

        @Test
        void paddedPayloadIsMalformed() {
            String header = b64(json(header("RS256", "rsa-256")));
            String claimsJson = needingPadding(json(claims()));
            String paddedPayload = paddedB64(claimsJson);
            assertThat(paddedPayload).endsWith("==");

            String padded = header + "." + paddedPayload;
            String unpadded = header + "." + b64(claimsJson);
            assertRefused(padded + "." + b64(sign("RS256", rsa.getPrivate(), padded)), Reason.MALFORMED);
            assertValid(unpadded + "." + b64(sign("RS256", rsa.getPrivate(), unpadded)));
        }

        @Test
        void paddedSignatureIsMalformed() {
            String input = signingInput(json(header("RS256", "rsa-256")), json(claims()));
            byte[] signature = sign("RS256", rsa.getPrivate(), input);
            String paddedSignature = Base64.getUrlEncoder().encodeToString(signature);
            assertThat(paddedSignature).endsWith("==");

            assertRefused(input + "." + paddedSignature, Reason.MALFORMED);
            assertValid(input + "." + b64(signature));
        }

        @ParameterizedTest
        @ValueSource(strings = {"+", "/", " ", "=", "%", "é"})
        void characterOutsideTheAlphabetIsMalformed(String foreign) {
            String token = rs256(claims());
            String[] s = segments(token);
            int middle = s[2].length() / 2;
            String badSignature = s[2].substring(0, middle) + foreign + s[2].substring(middle + 1);
            String badHeader = foreign + s[0].substring(1);

            assertRefused(s[0] + "." + s[1] + "." + badSignature, Reason.MALFORMED);
            assertRefused(badHeader + "." + s[1] + "." + s[2], Reason.MALFORMED);
            assertValid(token);
        }

        @Test
        void standardBase64AlphabetIsMalformed() {
            String input;
            byte[] signature;
            int attempt = 0;
            do {
                input = signingInput(json(header("RS256", "rsa-256")),
                        json(with(claims(), "jti", q("jti-" + attempt++))));
                signature = sign("RS256", rsa.getPrivate(), input);
            } while (b64(signature).equals(Base64.getEncoder().withoutPadding().encodeToString(signature)));

            assertRefused(input + "." + Base64.getEncoder().withoutPadding().encodeToString(signature),
                    Reason.MALFORMED);
            assertValid(input + "." + b64(signature));
        }

        @Test
        void whitespaceAroundTheTokenIsMalformed() {
            String token = rs256(claims());

            assertRefused(token + " ", Reason.MALFORMED);
            assertRefused(" " + token, Reason.MALFORMED);
            assertRefused(token + "\n", Reason.MALFORMED);
            assertRefused("Bearer " + token, Reason.MALFORMED);
        }

        /** Sets the unused low bits of the last character: a lenient decoder reads the same bytes. */
        private String nonCanonical(String segment) {
            assertThat(segment.length() % 4).isIn(2, 3);
            char last = segment.charAt(segment.length() - 1);
            char changed = ALPHABET.charAt(ALPHABET.indexOf(last) + 1);
            String spelled = segment.substring(0, segment.length() - 1) + changed;
            assertThat(Base64.getUrlDecoder().decode(spelled)).isEqualTo(Base64.getUrlDecoder().decode(segment));
            return spelled;
        }

        @Test
        void nonCanonicalTrailingBitsInTheSignatureAreMalformed() {
            String token = rs256(claims());
            String[] s = segments(token);

            assertRefused(s[0] + "." + s[1] + "." + nonCanonical(s[2]), Reason.MALFORMED);
            assertValid(token);
        }

        @Test
        void nonCanonicalTrailingBitsInTheHeaderAndPayloadAreMalformed() {
            String headerJson = needingPadding(json(header("RS256", "rsa-256")));
            String claimsJson = needingPadding(json(claims()));
            String header = b64(headerJson);
            String payload = b64(claimsJson);

            String badHeader = nonCanonical(header) + "." + payload;
            String badPayload = header + "." + nonCanonical(payload);
            String good = header + "." + payload;
            assertRefused(badHeader + "." + b64(sign("RS256", rsa.getPrivate(), badHeader)), Reason.MALFORMED);
            assertRefused(badPayload + "." + b64(sign("RS256", rsa.getPrivate(), badPayload)), Reason.MALFORMED);
            assertValid(good + "." + b64(sign("RS256", rsa.getPrivate(), good)));
        }

        @Test
        void segmentOfImpossibleLengthIsMalformed() {
            String token = rs256(claims());
            String[] s = segments(token);
            String sig = s[2].length() % 4 == 0 ? s[2] + "A" : s[2] + "AAA".substring(0, 5 - s[2].length() % 4);
            assertThat(sig.length() % 4).isEqualTo(1);

            assertRefused(s[0] + "." + s[1] + "." + sig, Reason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("Header and claims must be UTF-8 JSON objects without duplicate members")
    class JsonShape {

        @Test
        void headerThatIsNotJsonIsMalformed() {
            String claims = json(claims());

            assertRefused(token("alg=RS256;typ=at+jwt;kid=rsa-256", claims, "RS256", rsa.getPrivate()),
                    Reason.MALFORMED);
            assertRefused(token("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-256\"", claims, "RS256",
                    rsa.getPrivate()), Reason.MALFORMED);
            assertValid(token("{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-256\"}", claims, "RS256",
                    rsa.getPrivate()));
        }

        @Test
        void headerThatIsAJsonArrayIsMalformed() {
            String claims = json(claims());

            assertRefused(token("[{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-256\"}]", claims, "RS256",
                    rsa.getPrivate()), Reason.MALFORMED);
            assertRefused(token("\"RS256\"", claims, "RS256", rsa.getPrivate()), Reason.MALFORMED);
        }

        @Test
        void headerWithTrailingContentIsMalformed() {
            String header = json(header("RS256", "rsa-256"));

            assertRefused(token(header + "{}", json(claims()), "RS256", rsa.getPrivate()), Reason.MALFORMED);
        }

        @Test
        void duplicateHeaderMemberIsMalformed() {
            String duplicated = "{\"alg\":\"RS256\",\"typ\":\"at+jwt\",\"kid\":\"rsa-256\",\"kid\":\"ec-256\"}";
            String duplicatedAlg = "{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"rsa-256\",\"alg\":\"RS256\"}";

            assertRefused(token(duplicated, json(claims()), "RS256", rsa.getPrivate()), Reason.MALFORMED);
            assertRefused(token(duplicatedAlg, json(claims()), "RS256", rsa.getPrivate()), Reason.MALFORMED);
        }

        @Test
        void duplicateClaimIsMalformed() {
            String claims = json(claims());
            String duplicatedSub = claims.substring(0, claims.length() - 1) + ",\"sub\":\"admin\"}";
            String duplicatedExp = claims.substring(0, claims.length() - 1) + ",\"exp\":" + (NOW + 999_999) + "}";

            assertRefused(token(json(header("RS256", "rsa-256")), duplicatedSub, "RS256", rsa.getPrivate()),
                    Reason.MALFORMED);
            assertRefused(token(json(header("RS256", "rsa-256")), duplicatedExp, "RS256", rsa.getPrivate()),
                    Reason.MALFORMED);
            assertValid(token(json(header("RS256", "rsa-256")), claims, "RS256", rsa.getPrivate()));
        }

        @Test
        void claimsThatAreNotAJsonObjectAreMalformed() {
            String header = json(header("RS256", "rsa-256"));

            assertRefused(token(header, "[" + json(claims()) + "]", "RS256", rsa.getPrivate()), Reason.MALFORMED);
            assertRefused(token(header, "not json", "RS256", rsa.getPrivate()), Reason.MALFORMED);
        }

        /** Signs the raw bytes of a header and of claims, so that they can be in any encoding. */
        private String tokenOfBytes(byte[] header, byte[] claims, String alg, Key key) {
            String input = b64(header) + "." + b64(claims);
            return input + "." + b64(sign(alg, key, input));
        }

        @ParameterizedTest
        @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-16", "UTF-32BE", "UTF-32LE"})
        void headerOrClaimsNotInUtf8AreMalformed(String charset) {
            Charset encoding = Charset.forName(charset);
            byte[] header = json(header("RS256", "rsa-256")).getBytes(StandardCharsets.UTF_8);
            byte[] claims = json(claims()).getBytes(StandardCharsets.UTF_8);
            byte[] otherHeader = json(header("RS256", "rsa-256")).getBytes(encoding);
            byte[] otherClaims = json(claims()).getBytes(encoding);

            assertRefused(tokenOfBytes(otherHeader, claims, "RS256", rsa.getPrivate()), Reason.MALFORMED);
            assertRefused(tokenOfBytes(header, otherClaims, "RS256", rsa.getPrivate()), Reason.MALFORMED);
            assertValid(tokenOfBytes(header, claims, "RS256", rsa.getPrivate()));
        }

        @Test
        void byteOrderMarkIsMalformed() {
            byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
            byte[] header = json(header("RS256", "rsa-256")).getBytes(StandardCharsets.UTF_8);
            byte[] claims = json(claims()).getBytes(StandardCharsets.UTF_8);

            assertRefused(tokenOfBytes(concat(bom, header), claims, "RS256", rsa.getPrivate()), Reason.MALFORMED);
            assertRefused(tokenOfBytes(header, concat(bom, claims), "RS256", rsa.getPrivate()), Reason.MALFORMED);
        }

        @Test
        void invalidUtf8IsMalformed() {
            byte[] header = json(header("RS256", "rsa-256")).getBytes(StandardCharsets.UTF_8);
            String claims = json(with(claims(), "sub", q("user-\\u0001")));
            int at = claims.indexOf("\\u0001");
            byte[] prefix = claims.substring(0, at).getBytes(StandardCharsets.UTF_8);
            byte[] suffix = claims.substring(at + 6).getBytes(StandardCharsets.UTF_8);

            for (byte[] invalid : List.of(new byte[] {(byte) 0xFF}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                    new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC3})) {
                assertRefused(tokenOfBytes(header, concat(concat(prefix, invalid), suffix), "RS256",
                        rsa.getPrivate()), Reason.MALFORMED);
            }
            VerifiedAccessToken verified = validator.validate(tokenOfBytes(header,
                    concat(concat(prefix, "é".getBytes(StandardCharsets.UTF_8)), suffix), "RS256", rsa.getPrivate()));
            assertThat(verified.subject()).isEqualTo("user-é");
        }

        private byte[] concat(byte[] a, byte[] b) {
            byte[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }

        @Test
        void overlyDeepOrLargeJsonIsMalformed() {
            String deep = "[".repeat(17) + "]".repeat(17);
            String longNumber = "1" + "0".repeat(40);
            StringBuilder many = new StringBuilder("[");
            for (int i = 0; i < 1_001; i++) {
                many.append(i == 0 ? "" : ",").append('0');
            }
            many.append(']');

            assertRefused(rs256(with(claims(), "deep", deep)), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), "big", longNumber)), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), "many", many.toString())), Reason.MALFORMED);
            assertValid(rs256(with(claims(), "deep", "[".repeat(8) + "]".repeat(8))));
        }

        @Test
        void headerWithoutAlgIsMalformed() {
            assertRefused(rs256Header(without(header("RS256", "rsa-256"), "alg")), Reason.MALFORMED);
            assertRefused(rs256Header(with(header("RS256", "rsa-256"), "alg", "256")), Reason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("The algorithm must be allowed and be the one of the key named by kid")
    class Algorithm {

        static Stream<Arguments> noneSpellings() {
            return Stream.of("none", "NONE", "nOnE", "None").flatMap(alg -> Stream.of(
                    Arguments.of(alg, true), Arguments.of(alg, false)));
        }

        @ParameterizedTest(name = "alg {0}, signature present: {1}")
        @MethodSource("noneSpellings")
        void unsecuredTokenIsRefused(String alg, boolean withSignature) {
            String input = signingInput(json(header(alg, "rsa-256")), json(claims()));
            String signature = withSignature ? b64(sign("RS256", rsa.getPrivate(), input)) : "";

            // An empty third segment fails the structure check, which runs first.
            assertRefused(input + "." + signature, withSignature ? Reason.ALGORITHM_NOT_ALLOWED : Reason.MALFORMED);
            assertValid(rs256(claims()));
        }

        @Test
        void unsecuredTokenWithoutKidIsRefused() {
            Map<String, String> header = new LinkedHashMap<>();
            header.put("alg", q("none"));
            String input = signingInput(json(header), json(claims()));

            assertRefused(input + "." + b64("x"), Reason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void hmacSignedWithTheRsaPublicKeyIsRefused() {
            byte[] publicKeyAsSecret = rsa.getPublic().getEncoded();
            String forged = token(header("HS256", "rsa-256"), claims(), "HS256",
                    new SecretKeySpec(publicKeyAsSecret, "HmacSHA256"));

            assertRefused(forged, Reason.ALGORITHM_NOT_ALLOWED);
            assertValid(token(header("RS256", "rsa-256"), claims(), "RS256", rsa.getPrivate()));
        }

        @Test
        void rsaAlgorithmOtherThanTheKeysIsRefused() {
            assertRefused(token(header("RS384", "rsa-256"), claims(), "RS384", rsa.getPrivate()),
                    Reason.ALGORITHM_NOT_ALLOWED);
            assertRefused(token(header("PS256", "rsa-256"), claims(), "PS256", rsa.getPrivate()),
                    Reason.ALGORITHM_NOT_ALLOWED);
            assertRefused(token(header("RS256", "ps-256"), claims(), "RS256", otherRsa.getPrivate()),
                    Reason.ALGORITHM_NOT_ALLOWED);
            assertValid(token(header("RS256", "rsa-256"), claims(), "RS256", rsa.getPrivate()));
            assertValid(token(header("PS256", "ps-256"), claims(), "PS256", otherRsa.getPrivate()));
        }

        @Test
        void ecdsaAlgorithmOtherThanTheKeysIsRefused() {
            assertRefused(token(header("ES256", "ec-384"), claims(), "ES256", ec384.getPrivate()),
                    Reason.ALGORITHM_NOT_ALLOWED);
            assertRefused(token(header("ES384", "ec-256"), claims(), "ES384", ec256.getPrivate()),
                    Reason.ALGORITHM_NOT_ALLOWED);
            assertValid(token(header("ES384", "ec-384"), claims(), "ES384", ec384.getPrivate()));
            assertValid(token(header("ES256", "ec-256"), claims(), "ES256", ec256.getPrivate()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"rs256", "Rs256", "RS1", "HS1024", "ES256K", "RSA-OAEP", "Ed25519", "", " RS256"})
        void unknownOrMisspelledAlgorithmIsRefused(String alg) {
            assertRefused(rs256Header(header(alg, "rsa-256")), Reason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void algorithmOutsideANarrowedAllowListIsRefused() {
            AccessTokenValidator ecOnly = validator(b -> b.algorithms(JwsAlgorithm.ES256));

            assertRefused(ecOnly, rs256(claims()), Reason.ALGORITHM_NOT_ALLOWED);
            assertValid(ecOnly, es256(header("ES256", "ec-256")));
        }
    }

    @Nested
    @DisplayName("Header parameters that reference keys, compress or extend are refused")
    class UnsupportedHeaders {

        @Test
        void compressionIsRefused() {
            assertRefused(es256(with(header("ES256", "ec-256"), "zip", q("DEF"))), Reason.UNSUPPORTED_HEADER);
            assertValid(es256(header("ES256", "ec-256")));
        }

        @Test
        void criticalHeaderIsRefused() {
            assertRefused(es256(with(header("ES256", "ec-256"), "crit", "[\"exp\"]")), Reason.UNSUPPORTED_HEADER);
            assertRefused(es256(with(header("ES256", "ec-256"), "crit", "[]")), Reason.UNSUPPORTED_HEADER);
        }

        @Test
        void unencodedPayloadIsRefused() {
            assertRefused(es256(with(header("ES256", "ec-256"), "b64", "false")), Reason.UNSUPPORTED_HEADER);
        }

        @Test
        void nestedJwtContentTypeIsRefused() {
            assertRefused(es256(with(header("ES256", "ec-256"), "cty", q("JWT"))), Reason.UNSUPPORTED_HEADER);
        }

        @Test
        void embeddedAttackerJwkIsRefused() {
            ECPublicKey attacker = (ECPublicKey) attackerEc256.getPublic();
            String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + b64(coordinate(attacker.getW().getAffineX()))
                    + "\",\"y\":\"" + b64(coordinate(attacker.getW().getAffineY())) + "\"}";
            Map<String, String> header = with(header("ES256", "ec-256"), "jwk", jwk);

            assertRefused(token(header, claims(), "ES256", attackerEc256.getPrivate()), Reason.UNSUPPORTED_HEADER);
            assertRefused(token(without(header, "kid"), claims(), "ES256", attackerEc256.getPrivate()),
                    Reason.UNSUPPORTED_HEADER);
            // Without the jwk the attacker's signature is checked against our key, and fails.
            assertRefused(token(header("ES256", "ec-256"), claims(), "ES256", attackerEc256.getPrivate()),
                    Reason.BAD_SIGNATURE);
        }

        private byte[] coordinate(BigInteger value) {
            byte[] raw = value.toByteArray();
            byte[] fixed = new byte[32];
            int copy = Math.min(raw.length, 32);
            System.arraycopy(raw, raw.length - copy, fixed, 32 - copy, copy);
            return fixed;
        }

        @Test
        void keyUrlsAndCertificatesAreRefused() {
            Map<String, String> header = header("ES256", "ec-256");

            assertRefused(es256(with(header, "jku", q("https://attacker.example/jwks.json"))),
                    Reason.UNSUPPORTED_HEADER);
            assertRefused(es256(with(header, "x5u", q("https://attacker.example/cert.pem"))),
                    Reason.UNSUPPORTED_HEADER);
            assertRefused(es256(with(header, "x5c", "[\"" + Base64.getEncoder().encodeToString(new byte[64]) + "\"]")),
                    Reason.UNSUPPORTED_HEADER);
            assertValid(es256(header));
        }

        @Test
        void unsupportedHeaderSetToNullIsStillRefused() {
            for (String name : List.of("zip", "crit", "b64", "cty", "jku", "jwk", "x5u", "x5c")) {
                assertRefused(es256(with(header("ES256", "ec-256"), name, "null")), Reason.UNSUPPORTED_HEADER);
            }
            assertValid(es256(header("ES256", "ec-256")));
        }

        @Test
        void unrelatedHeaderParametersAreIgnored() {
            assertValid(es256(with(header("ES256", "ec-256"), "x5t#S256", q("abc"))));
        }
    }

    @Nested
    @DisplayName("typ must say at+jwt (RFC 9068 §2.1)")
    class Type {

        @ParameterizedTest
        @ValueSource(strings = {"at+jwt", "application/at+jwt", "AT+JWT", "Application/At+Jwt"})
        void accessTokenTypeIsAccepted(String typ) {
            assertValid(es256(with(header("ES256", "ec-256"), "typ", q(typ))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"JWT", "jwt", "application/jwt", "at+jwt ", "at+JWS", "id_token+jwt", ""})
        void otherTypeIsWrongType(String typ) {
            assertRefused(es256(with(header("ES256", "ec-256"), "typ", q(typ))), Reason.WRONG_TYPE);
        }

        @Test
        void missingOrNonStringTypeIsWrongType() {
            assertRefused(es256(without(header("ES256", "ec-256"), "typ")), Reason.WRONG_TYPE);
            assertRefused(es256(with(header("ES256", "ec-256"), "typ", "1")), Reason.WRONG_TYPE);
            assertRefused(es256(with(header("ES256", "ec-256"), "typ", "[\"at+jwt\"]")), Reason.WRONG_TYPE);
        }
    }

    @Nested
    @DisplayName("kid is only ever a lookup key in the key set")
    class KeyId {

        @ParameterizedTest
        @ValueSource(strings = {"../../etc/passwd", "' OR 1=1 --", "", "file:///dev/null", "rsa-256 ", "RSA-256",
                "rsa-256\\u0000"})
        void kidNamingNoKeyIsUnknownKey(String kid) {
            assertRefused(rs256Header(header("RS256", kid)), Reason.UNKNOWN_KEY);
            assertValid(rs256Header(header("RS256", "rsa-256")));
        }

        @Test
        void missingOrNonStringKidIsUnknownKey() {
            assertRefused(rs256Header(without(header("RS256", "rsa-256"), "kid")), Reason.UNKNOWN_KEY);
            assertRefused(rs256Header(with(header("RS256", "rsa-256"), "kid", "1")), Reason.UNKNOWN_KEY);
            assertRefused(rs256Header(with(header("RS256", "rsa-256"), "kid", "null")), Reason.UNKNOWN_KEY);
        }

        @Test
        void kidIsPassedToTheKeyProviderVerbatimAndNowhereElse() {
            List<String> lookups = new ArrayList<>();
            KeyProvider delegate = KeyProvider.verifyingOnly(keySet);
            KeyProvider recording = new KeyProvider() {
                @Override
                public JwtKey signingKey() {
                    throw new AssertionError("a validator never signs");
                }

                @Override
                public Optional<JwtKey> verificationKey(String kid) {
                    lookups.add(kid);
                    return delegate.verificationKey(kid);
                }

                @Override
                public List<JwtKey> verificationKeys() {
                    throw new AssertionError("a validator looks keys up by kid");
                }
            };
            AccessTokenValidator v = AccessTokenValidator.builder().issuer(ISSUER).audience(AUDIENCE)
                    .keys(recording).clock(clock).build();

            assertRefused(v, rs256Header(header("RS256", "../../etc/passwd")), Reason.UNKNOWN_KEY);
            assertThat(lookups).containsExactly("../../etc/passwd");
        }
    }

    @Nested
    @DisplayName("The signature must verify with the key named by kid")
    class Signatures {

        @ParameterizedTest
        @EnumSource(ProviderPolicy.class)
        void ecdsaSignatureOfZeroesIsBadSignature(ProviderPolicy policy) {
            AccessTokenValidator v = validator(b -> b.providerPolicy(policy));
            String input = signingInput(json(header("ES256", "ec-256")), json(claims()));

            assertRefused(v, input + "." + b64(new byte[64]), Reason.BAD_SIGNATURE);
            assertValid(v, input + "." + b64(sign("ES256", ec256.getPrivate(), input)));
        }

        @ParameterizedTest
        @EnumSource(ProviderPolicy.class)
        void derEncodedEcdsaSignatureIsBadSignature(ProviderPolicy policy) throws GeneralSecurityException {
            AccessTokenValidator v = validator(b -> b.providerPolicy(policy));
            String input = signingInput(json(header("ES256", "ec-256")), json(claims()));
            Signature der = Signature.getInstance("SHA256withECDSA");
            der.initSign(ec256.getPrivate());
            der.update(input.getBytes(StandardCharsets.US_ASCII));

            assertRefused(v, input + "." + b64(der.sign()), Reason.BAD_SIGNATURE);
        }

        @ParameterizedTest
        @EnumSource(ProviderPolicy.class)
        void ed25519SignatureOfZeroesIsBadSignature(ProviderPolicy policy) {
            AccessTokenValidator v = validator(b -> b.providerPolicy(policy));
            String input = signingInput(json(header("EdDSA", "ed-1")), json(claims()));

            assertRefused(v, input + "." + b64(new byte[64]), Reason.BAD_SIGNATURE);
            assertValid(v, input + "." + b64(sign("EdDSA", ed25519.getPrivate(), input)));
        }

        @Test
        void signatureFromAnotherKeyOfTheSameAlgorithmIsBadSignature() {
            assertRefused(token(header("ES256", "ec-256"), claims(), "ES256", otherEc256.getPrivate()),
                    Reason.BAD_SIGNATURE);
            assertRefused(token(header("RS256", "rsa-256"), claims(), "RS256", otherRsa.getPrivate()),
                    Reason.BAD_SIGNATURE);
            byte[] otherSecret = hmacSecret.clone();
            otherSecret[0] ^= 1;
            assertRefused(token(header("HS256", "hs-256"), claims(), "HS256",
                    new SecretKeySpec(otherSecret, "HmacSHA256")), Reason.BAD_SIGNATURE);
        }

        @Test
        void payloadChangedAfterSigningIsBadSignature() {
            String[] s = segments(rs256(claims()));
            String otherPayload = b64(json(with(claims(), "sub", q("admin"))));

            assertRefused(s[0] + "." + otherPayload + "." + s[2], Reason.BAD_SIGNATURE);
        }

        @Test
        void truncatedOrExtendedSignatureIsBadSignature() {
            String input = signingInput(json(header("ES256", "ec-256")), json(claims()));
            byte[] signature = sign("ES256", ec256.getPrivate(), input);

            assertRefused(input + "." + b64(Arrays.copyOf(signature, 63)), Reason.BAD_SIGNATURE);
            assertRefused(input + "." + b64(Arrays.copyOf(signature, 65)), Reason.BAD_SIGNATURE);
        }
    }

    @Nested
    @DisplayName("Required claims must be present with the right JSON types")
    class RequiredClaims {

        @ParameterizedTest
        @ValueSource(strings = {"sub", "client_id", "jti", "exp", "iat"})
        void missingRequiredClaimIsMalformed(String claim) {
            assertRefused(rs256(without(claims(), claim)), Reason.MALFORMED);
            assertValid(rs256(claims()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"sub", "client_id", "jti"})
        void emptyOrNonStringIdentifierIsMalformed(String claim) {
            assertRefused(rs256(with(claims(), claim, q(""))), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), claim, "42")), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), claim, "null")), Reason.MALFORMED);
        }

        @Test
        void expAsStringIsMalformed() {
            assertRefused(rs256(with(claims(), "exp", q("1799999999"))), Reason.MALFORMED);
            assertValid(rs256(with(claims(), "exp", "1799999999")));
        }

        @Test
        void iatOrNbfAsStringIsMalformed() {
            assertRefused(rs256(with(claims(), "iat", q(Long.toString(NOW)))), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), "nbf", q(Long.toString(NOW)))), Reason.MALFORMED);
            assertValid(rs256(with(claims(), "nbf", Long.toString(NOW))));
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "99999999999999999999", "true", "[1799999999]", "{}"})
        void numericDateOutOfRangeOrOfAnotherTypeIsMalformed(String exp) {
            assertRefused(rs256(with(claims(), "exp", exp)), Reason.MALFORMED);
        }

        @Test
        void fractionalNumericDateIsAccepted() {
            VerifiedAccessToken verified = assertValid(rs256(with(claims(), "exp", (NOW + 600) + ".5")));

            assertThat(verified.expiresAt()).isEqualTo(Instant.ofEpochSecond(NOW + 600, 500_000_000));
        }

        @Test
        void malformedScopeIsMalformed() {
            assertRefused(rs256(with(claims(), "scope", q("openid  profile"))), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), "scope", "[\"openid\"]")), Reason.MALFORMED);
            assertRefused(rs256(with(claims(), "sid", "7")), Reason.MALFORMED);
        }
    }

    @Nested
    @DisplayName("iss must be exactly ours and aud must contain ours")
    class IssuerAndAudience {

        @ParameterizedTest
        @ValueSource(strings = {ISSUER + "/", "https://AUTH.example.com", "http://auth.example.com",
                "https://auth.example.com.attacker.example", ""})
        void otherIssuerIsWrongIssuer(String iss) {
            assertRefused(rs256(with(claims(), "iss", q(iss))), Reason.WRONG_ISSUER);
            assertValid(rs256(with(claims(), "iss", q(ISSUER))));
        }

        @Test
        void missingOrNonStringIssuerIsWrongIssuer() {
            assertRefused(rs256(without(claims(), "iss")), Reason.WRONG_ISSUER);
            assertRefused(rs256(with(claims(), "iss", "[\"" + ISSUER + "\"]")), Reason.WRONG_ISSUER);
        }

        @Test
        void missingAudienceIsWrongAudience() {
            assertRefused(rs256(without(claims(), "aud")), Reason.WRONG_AUDIENCE);
        }

        @Test
        void foreignAudienceIsWrongAudience() {
            assertRefused(rs256(with(claims(), "aud", q("https://other.example.com"))), Reason.WRONG_AUDIENCE);
            assertRefused(rs256(with(claims(), "aud", q(AUDIENCE + "/"))), Reason.WRONG_AUDIENCE);
        }

        @Test
        void audienceArrayContainingOursValidates() {
            VerifiedAccessToken verified = assertValid(
                    rs256(with(claims(), "aud", "[\"https://other.example.com\",\"" + AUDIENCE + "\"]")));

            assertThat(verified.audience()).containsExactly("https://other.example.com", AUDIENCE);
        }

        @Test
        void audienceArrayWithoutOursIsWrongAudience() {
            assertRefused(rs256(with(claims(), "aud", "[\"https://other.example.com\"]")), Reason.WRONG_AUDIENCE);
            assertRefused(rs256(with(claims(), "aud", "[]")), Reason.WRONG_AUDIENCE);
            assertRefused(rs256(with(claims(), "aud", "[\"" + AUDIENCE + "\",7]")), Reason.WRONG_AUDIENCE);
            assertRefused(rs256(with(claims(), "aud", "7")), Reason.WRONG_AUDIENCE);
        }
    }

    @Nested
    @DisplayName("exp, nbf and iat are checked against the clock, with the configured skew")
    class Time {

        @Test
        void tokenWhoseExpIsNowIsExpired() {
            assertRefused(rs256(with(claims(), "exp", Long.toString(NOW))), Reason.EXPIRED);
        }

        @Test
        void tokenWhoseExpIsOneSecondLaterValidatesUntilThen() {
            String token = rs256(with(claims(), "exp", Long.toString(NOW + 1)));

            assertValid(token);
            clock.advance(Duration.ofMillis(999));
            assertValid(token);
            clock.advance(Duration.ofMillis(1));
            assertRefused(token, Reason.EXPIRED);
        }

        @Test
        void clockSkewExtendsExpiry() {
            AccessTokenValidator lenient = validator(b -> b.clockSkew(Duration.ofSeconds(30)));

            assertValid(lenient, rs256(with(claims(), "exp", Long.toString(NOW - 29))));
            assertRefused(lenient, rs256(with(claims(), "exp", Long.toString(NOW - 30))), Reason.EXPIRED);
            assertRefused(rs256(with(claims(), "exp", Long.toString(NOW - 29))), Reason.EXPIRED);
        }

        @Test
        void nbfInTheFutureIsNotYetValid() {
            String token = rs256(with(claims(), "nbf", Long.toString(NOW + 1)));

            assertRefused(token, Reason.NOT_YET_VALID);
            clock.advance(Duration.ofSeconds(1));
            assertValid(token);
        }

        @Test
        void clockSkewToleratesNbfInTheNearFuture() {
            AccessTokenValidator lenient = validator(b -> b.clockSkew(Duration.ofSeconds(30)));

            assertValid(lenient, rs256(with(claims(), "nbf", Long.toString(NOW + 30))));
            assertRefused(lenient, rs256(with(claims(), "nbf", Long.toString(NOW + 31))), Reason.NOT_YET_VALID);
        }

        @Test
        void iatInTheFutureIsNotYetValid() {
            String token = rs256(with(claims(), "iat", Long.toString(NOW + 1)));

            assertRefused(token, Reason.NOT_YET_VALID);
            assertValid(validator(b -> b.clockSkew(Duration.ofSeconds(1))), token);
            clock.advance(Duration.ofSeconds(1));
            assertValid(token);
        }

        @Test
        void clockSkewBeyondFiveMinutesIsRefused() {
            assertThatThrownBy(() -> AccessTokenValidator.builder().clockSkew(Duration.ofMinutes(5).plusSeconds(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
            assertThatThrownBy(() -> AccessTokenValidator.builder().clockSkew(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
            assertThat(validator(b -> b.clockSkew(Duration.ofMinutes(5)))).isNotNull();
        }
    }
}
