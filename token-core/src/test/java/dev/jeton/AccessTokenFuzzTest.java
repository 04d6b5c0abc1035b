package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.Jca;
import dev.jeton.internal.PreparedKeys;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.testing.TestClock;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * Fuzzing of access-token validation with Jazzer. The property: {@link AccessTokenValidator#validate} returns a
 * verified token or throws {@link InvalidTokenException}; nothing else escapes, it returns, and it allocates at most a
 * small multiple of the input.
 *
 * <p>In the normal suite these run in regression mode, on the seeds under
 * {@code src/test/resources/dev/jeton/AccessTokenFuzzTestInputs}. To fuzz (one target per run), see README,
 * "Contributing": {@code JAZZER_FUZZ=1 ./mvnw -o -pl token-core test -Dtest=AccessTokenFuzzTest#arbitraryStrings}.
 */
class AccessTokenFuzzTest {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final JwtKey HS256 = JwtKey.generate("hs", JwsAlgorithm.HS256);
    private static final JwtKey ES256 = JwtKey.generate("es", JwsAlgorithm.ES256);
    private static final JwtKey ED25519 = JwtKey.generate("ed", JwsAlgorithm.EdDSA);
    private static final JwtKey[] SIGNING_KEYS = {HS256, ES256, ED25519};
    private static final PreparedKeys PREPARED = new PreparedKeys(ProviderPolicy.FASTEST);
    private static final AccessTokenValidator VALIDATOR = AccessTokenValidator.builder()
            .issuer("https://auth.example.com").audience("https://api.example.com")
            .keys(KeyProvider.of(HS256, ES256, ED25519)).clock(TestClock.at(NOW)).build();
    private static final AccessTokenValidator CACHING_VALIDATOR = AccessTokenValidator.builder()
            .issuer("https://auth.example.com").audience("https://api.example.com")
            .keys(KeyProvider.of(HS256, ES256, ED25519)).clock(TestClock.at(NOW)).verifiedTokenCache(64).build();

    /** Reasons a token with Jeton's own header, signed with the right key, may still be refused for. */
    private static final Set<Reason> CLAIM_REASONS = EnumSet.of(Reason.MALFORMED, Reason.EXPIRED,
            Reason.NOT_YET_VALID, Reason.WRONG_ISSUER, Reason.WRONG_AUDIENCE, Reason.TOO_LARGE);

    /** Any string, null included (the mutator produces null for a reference parameter). */
    @FuzzTest
    void arbitraryStrings(String token) {
        validate(VALIDATOR, token, null);
        validate(CACHING_VALIDATOR, token, null);
    }

    /**
     * Header and claims from the fuzzer, base64url-encoded and signed with a real key, so that mutations reach the
     * claims parser and the claim checks behind the signature. With Jeton's own header the token can only be refused
     * for a claim, never for its signature, key or algorithm.
     */
    @FuzzTest
    @DictionaryEntries({"\"iss\"", "\"sub\"", "\"aud\"", "\"exp\"", "\"iat\"", "\"nbf\"", "\"jti\"", "\"client_id\"",
            "\"scope\"", "\"sid\"", "\"alg\"", "\"typ\"", "\"kid\"", "\"crit\"", "\"at+jwt\"", "\"HS256\"",
            "\"https://auth.example.com\"", "\"https://api.example.com\"", "1893456000", "1893459600", "null",
            "true", "[", "{", "\\u0000", "1e308", "-0", "0.5"})
    void signedHeaderAndClaims(FuzzedDataProvider data) {
        JwtKey key = data.pickValue(SIGNING_KEYS);
        int headerMode = data.consumeInt(0, 2);
        String header = switch (headerMode) {
            case 0 -> "{\"alg\":\"" + key.algorithm().id() + "\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\"}";
            case 1 -> "{\"alg\":\"" + key.algorithm().id() + "\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\","
                    + data.consumeString(200) + "}";
            default -> data.consumeString(300);
        };
        String claims = switch (data.consumeInt(0, 2)) {
            case 0 -> "{\"iss\":\"https://auth.example.com\",\"aud\":\"https://api.example.com\",\"sub\":\"u\","
                    + "\"client_id\":\"c\",\"jti\":\"j\",\"iat\":1893456000,\"exp\":1893459600,"
                    + data.consumeRemainingAsString() + "}";
            case 1 -> "{" + data.consumeRemainingAsString() + "}";
            default -> data.consumeRemainingAsString();
        };
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        PreparedKeys.Prepared prepared = PREPARED.get(key);
        byte[] signature = Jca.sign(key.algorithm(), prepared.signingKey(), prepared.provider(),
                input.getBytes(StandardCharsets.US_ASCII));
        validate(VALIDATOR, input + "." + B64.encodeToString(signature), headerMode == 0 ? CLAIM_REASONS : null);
    }

    private static void validate(AccessTokenValidator validator, String token, Set<Reason> allowed) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Reason reason = outcome(validator, token);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > bound(token)) {
            // The first time a path runs it loads classes, which this thread allocates; measure a second run.
            before = THREADS.getCurrentThreadAllocatedBytes();
            outcome(validator, token);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated validating a token of %d bytes' bound", bound(token))
                    .isLessThanOrEqualTo(bound(token));
        }
        if (allowed != null && reason != null) {
            assertThat(reason).as("refusal of a token with Jeton's header and a good signature").isIn(allowed);
        }
    }

    private static long bound(String token) {
        return 512 * 1024 + 16L * (token == null ? 0 : token.length());
    }

    /** The refusal's reason, or null if the token validated. Any other throwable fails the fuzz target. */
    private static Reason outcome(AccessTokenValidator validator, String token) {
        try {
            VerifiedAccessToken verified = validator.validate(token);
            assertThat(verified.expiresAt()).isAfter(NOW);
            return null;
        } catch (InvalidTokenException e) {
            assertThat(e.reason()).isNotNull();
            return e.reason();
        }
    }
}
