package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.Json;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hostile sizes: each input is refused with its typed reason, and the bytes allocated by the refusing call (measured
 * per thread with {@link com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) stay within a small multiple of
 * the input. No wall-clock assertion: that each call returns at all, with a bounded allocation, is the property.
 *
 * <p>The parser's limits ({@link Json#MAX_DEPTH}, {@link Json#MAX_NUMBER_LENGTH}, {@link Json#MAX_VALUES}) stop each
 * case early. To reach the claims parser the tokens are signed with the validator's key, and the validator's length
 * limit is raised to its maximum, 1 MiB; at the default 8 KiB they would all be TOO_LARGE before any decoding.
 */
class ResourceBoundsTest {

    private static final int MIB = 1024 * 1024;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final byte[] SECRET = "resource-bounds-test-hs256-secret-32b".getBytes(StandardCharsets.US_ASCII);
    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"at+jwt\",\"kid\":\"bounds\"}";
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final KeyProvider keys = KeyProvider.of(JwtKey.hmac("bounds", JwsAlgorithm.HS256, SECRET));
    private final AccessTokenValidator defaultLimits = validator(false);
    private final AccessTokenValidator largestLimit = validator(true);

    private AccessTokenValidator validator(boolean largest) {
        AccessTokenValidator.Builder builder = AccessTokenValidator.builder().issuer("https://auth.example.com")
                .audience("https://api.example.com").keys(keys).clock(TestClock.fixed());
        if (largest) {
            builder.maxTokenLength(MIB);
        }
        return builder.build();
    }

    @Test
    @DisplayName("a 1 MiB token is TOO_LARGE under the default limit, and nothing of it is decoded")
    void oneMebibyteTokenIsTooLargeWithoutDecoding() {
        String token = signed(HEADER, "{\"sub\":\"" + "a".repeat(MIB) + "\"}");
        assertThat(token.length()).isGreaterThan(MIB);

        Refusal refusal = refuse(defaultLimits, token);

        assertThat(refusal.reason).isEqualTo(Reason.TOO_LARGE);
        // Only the exception and its stack trace: the token is neither copied nor decoded.
        assertThat(refusal.allocatedBytes).isLessThan(64 * 1024);
    }

    @Test
    @DisplayName("a token just over 1 MiB is TOO_LARGE even at the largest limit")
    void tokenOverTheLargestLimitIsTooLarge() {
        String token = signed(HEADER, "{\"sub\":\"" + "a".repeat(800 * 1024) + "\"}");
        assertThat(token.length()).isGreaterThan(MIB);

        Refusal refusal = refuse(largestLimit, token);

        assertThat(refusal.reason).isEqualTo(Reason.TOO_LARGE);
        assertThat(refusal.allocatedBytes).isLessThan(64 * 1024);
    }

    @Test
    @DisplayName("claims nested 10,000 deep (arrays) are MALFORMED")
    void claimsNestedTenThousandDeepInArraysAreMalformed() {
        String claims = "{\"sub\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertMalformedWithinBounds(signed(HEADER, claims));
    }

    @Test
    @DisplayName("claims nested 10,000 deep (objects) are MALFORMED")
    void claimsNestedTenThousandDeepInObjectsAreMalformed() {
        String claims = "{\"a\":".repeat(10_000) + "0" + "}".repeat(10_000);

        assertMalformedWithinBounds(signed(HEADER, claims));
    }

    @Test
    @DisplayName("a header nested 10,000 deep is MALFORMED before any signature work")
    void headerNestedTenThousandDeepIsMalformed() {
        String header = "{\"alg\":\"HS256\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";

        assertMalformedWithinBounds(B64.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + ".e30.AAAA");
    }

    @Test
    @DisplayName("an exp of 5,000 digits is MALFORMED")
    void fiveThousandDigitIntegerIsMalformed() {
        String claims = "{\"sub\":\"u\",\"exp\":" + "9".repeat(5_000) + "}";

        assertMalformedWithinBounds(signed(HEADER, claims));
    }

    @Test
    @DisplayName("a fraction of 5,000 digits and an exponent of 5,000 digits are MALFORMED")
    void fiveThousandDigitFractionAndExponentAreMalformed() {
        assertMalformedWithinBounds(signed(HEADER, "{\"exp\":0." + "1".repeat(5_000) + "}"));
        assertMalformedWithinBounds(signed(HEADER, "{\"exp\":1e" + "1".repeat(5_000) + "}"));
    }

    @Test
    @DisplayName("as many tiny claims as fit in 1 MiB (about 90,000) are MALFORMED")
    void asManyTinyClaimsAsFitInTheLargestTokenAreMalformed() {
        StringBuilder claims = new StringBuilder("{");
        int count = 0;
        // base64url grows 3 bytes to 4 characters; leave room for the header and signature.
        while (claims.length() < (MIB - 1024) / 4 * 3) {
            claims.append('"').append(Integer.toString(count++, 36)).append("\":0,");
        }
        claims.setLength(claims.length() - 1);
        claims.append('}');
        String token = signed(HEADER, claims.toString());
        assertThat(token.length()).isLessThanOrEqualTo(MIB);
        assertThat(count).isGreaterThan(80_000);

        assertMalformedWithinBounds(token);
    }

    @Test
    @DisplayName("an array of as many tiny elements as fit in 1 MiB (about 390,000) is MALFORMED")
    void asManyArrayElementsAsFitInTheLargestTokenAreMalformed() {
        int elements = ((MIB - 1024) / 4 * 3 - 16) / 2;
        String claims = "{\"a\":[" + "0,".repeat(elements - 1) + "0]}";
        String token = signed(HEADER, claims);
        assertThat(token.length()).isLessThanOrEqualTo(MIB);

        assertMalformedWithinBounds(token);
    }

    @Test
    @DisplayName("a million tiny claims are TOO_LARGE for a token even at the largest limit, and refused by the parser")
    void aMillionTinyClaims() {
        StringBuilder claims = new StringBuilder("{");
        for (int i = 0; i < 1_000_000; i++) {
            claims.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":0");
        }
        claims.append('}');
        byte[] json = claims.toString().getBytes(StandardCharsets.US_ASCII);
        String token = signed(HEADER, claims.toString());

        Refusal refusal = refuse(largestLimit, token);
        assertThat(refusal.reason).isEqualTo(Reason.TOO_LARGE);
        assertThat(refusal.allocatedBytes).isLessThan(64 * 1024);

        // The parser itself, given the whole document, stops at its value budget.
        Supplier<Json.JsonException> parse = () -> catchThrowableOfType(Json.JsonException.class,
                () -> Json.parseObject(json));
        parse.get();
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Json.JsonException refused = parse.get();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(refused).hasMessage("JSON document has more than " + Json.MAX_VALUES + " values");
        assertThat(allocated).isLessThan(512 * 1024);
    }

    private void assertMalformedWithinBounds(String token) {
        Refusal refusal = refuse(largestLimit, token);

        assertThat(refusal.reason).isEqualTo(Reason.MALFORMED);
        // The validator copies the signing input and decodes a segment: a few bytes per input character, never a
        // tree of the input. 4 bytes per character plus 256 KiB of fixed cost (Jackson buffers, the exception).
        assertThat(refusal.allocatedBytes).as("bytes allocated for a %d-character token", token.length())
                .isLessThan(4L * token.length() + 256 * 1024);
    }

    private record Refusal(Reason reason, long allocatedBytes) {
    }

    /** Validates twice (the first run loads classes) and measures the second. */
    private static Refusal refuse(AccessTokenValidator validator, String token) {
        catchThrowableOfType(InvalidTokenException.class, () -> validator.validate(token));
        long before = THREADS.getCurrentThreadAllocatedBytes();
        InvalidTokenException refused = catchThrowableOfType(InvalidTokenException.class,
                () -> validator.validate(token));
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(refused).as("refusal").isNotNull();
        return new Refusal(refused.reason(), allocated);
    }

    private static String signed(String header, String claims) {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.US_ASCII)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.US_ASCII));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
