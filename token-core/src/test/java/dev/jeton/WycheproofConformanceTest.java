package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.Base64Url;
import dev.jeton.internal.Json;
import dev.jeton.internal.PreparedKeys;
import dev.jeton.key.JwkSets;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.testing.TestClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof conformance: every vector of every file listed in {@code ../shared/wycheproof/SOURCE.md}, run through
 * Jeton's own verification path ({@link PreparedKeys.Prepared#verify}, which {@link AccessTokenValidator} calls)
 * under both {@link ProviderPolicy} values, with keys built by {@link JwtKey}'s factories so that Jeton's load-time
 * key checks apply; then the compact-JWS vectors of {@code json_web_signature_test.json} through
 * {@link AccessTokenValidator} itself.
 *
 * <p>The folder is read from the system property {@code jeton.wycheproof.dir}, else {@code wycheproof} under the
 * {@code jeton.shared.dir} that surefire passes ({@code ../shared} beside the repository), else
 * {@code ../shared/wycheproof} beside the repository root found from the working directory. When it is absent the
 * tests are skipped with a message, except when {@code JETON_REQUIRE_RESOURCES=true}, where they fail. The files are never copied into
 * the repository.
 *
 * <p>Counts per algorithm (run, passed, acceptable, refused keys) are printed after the class.
 */
class WycheproofConformanceTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The primitive files, per SOURCE.md, with the JWS algorithm each one serves. */
    private static final Map<String, JwsAlgorithm> FILES = Map.ofEntries(
            Map.entry("ecdsa_secp256r1_sha256_p1363_test.json", JwsAlgorithm.ES256),
            Map.entry("ecdsa_secp384r1_sha384_p1363_test.json", JwsAlgorithm.ES384),
            Map.entry("ecdsa_secp521r1_sha512_p1363_test.json", JwsAlgorithm.ES512),
            Map.entry("rsa_signature_2048_sha256_test.json", JwsAlgorithm.RS256),
            Map.entry("rsa_signature_3072_sha256_test.json", JwsAlgorithm.RS256),
            Map.entry("rsa_signature_2048_sha384_test.json", JwsAlgorithm.RS384),
            Map.entry("rsa_signature_2048_sha512_test.json", JwsAlgorithm.RS512),
            Map.entry("rsa_signature_4096_sha512_test.json", JwsAlgorithm.RS512),
            Map.entry("rsa_pss_2048_sha256_mgf1_32_test.json", JwsAlgorithm.PS256),
            Map.entry("rsa_pss_2048_sha384_mgf1_48_test.json", JwsAlgorithm.PS384),
            Map.entry("rsa_pss_4096_sha512_mgf1_64_test.json", JwsAlgorithm.PS512),
            Map.entry("ed25519_test.json", JwsAlgorithm.EdDSA),
            Map.entry("ed448_test.json", JwsAlgorithm.EdDSA),
            Map.entry("hmac_sha256_test.json", JwsAlgorithm.HS256),
            Map.entry("hmac_sha384_test.json", JwsAlgorithm.HS384),
            Map.entry("hmac_sha512_test.json", JwsAlgorithm.HS512));

    /**
     * Known data quirks (SOURCE.md): 367 and 370 are byte-identical to the valid 357 but marked invalid, so a correct
     * verifier accepts them; 372 and 373 put a {@code ?} inside a segment and are marked valid, which a strict
     * base64url decoder rightly refuses.
     */
    private static final Set<Integer> QUIRK_MARKED_INVALID_BUT_IDENTICAL_TO_VALID = Set.of(367, 370);
    private static final Set<Integer> QUIRK_MARKED_VALID_BUT_NOT_BASE64URL = Set.of(372, 373);
    /**
     * RFC 7520 figures 20 (tcIds 346, 350) sign with PS384 under a JWK whose {@code alg} is PS256: Jeton binds each key
     * to exactly one algorithm and refuses a token whose {@code alg} differs from its key's (DESIGN §4).
     */
    private static final Set<Integer> REFUSED_ALG_DIFFERS_FROM_KEY = Set.of(346, 350);
    /**
     * RFC 7520 figure 27 (tcIds 347, 351): the JWK names its algorithm {@code "ES521"}, which is no JWS algorithm
     * (RFC 7518 calls P-521 with SHA-512 ES512), so Jeton refuses the key when it is loaded, and with it the token.
     */
    private static final Set<Integer> REFUSED_KEY_WITH_UNKNOWN_ALG = Set.of(347, 351);
    /**
     * JDK 17's SunEC ECDSA refuses valid signatures whose {@code R = u1·G + u2·Q} has an x-coordinate of at least the
     * group order n (so that {@code r = x mod n} needs a reduction): "k*G has a large x-coordinate" and "x = n + r".
     * An honest signer produces one with probability about 2^-128; it is a false refusal, not a forgery, and later
     * JDKs (25) verify them. Bouncy Castle (policy FASTEST) verifies them on every JDK. Only under JDK_ONLY.
     */
    private static final Map<JwsAlgorithm, Set<Integer>> JDK17_ECDSA_FALSE_REFUSALS = Map.of(
            JwsAlgorithm.ES256, Set.of(115, 257), JwsAlgorithm.ES384, Set.of(147, 275),
            JwsAlgorithm.ES512, Set.of(184, 313));
    /** Valid JWS with an empty payload: an access token always has claims, so Jeton refuses it as MALFORMED. */
    private static final Set<Integer> REFUSED_EMPTY_PAYLOAD = Set.of(259, 264, 268, 272, 320, 325);

    private static Path folder;
    private static final Map<String, Counts> COUNTS = new TreeMap<>();
    private static final Set<String> REFUSED_KEYS = new TreeSet<>();

    /** Per algorithm: vectors run (per policy), passed, acceptable ones and what Jeton did, keys refused at load. */
    private static final class Counts {
        int run;
        int passed;
        int acceptable;
        int acceptableAccepted;
        int refusedKeys;
        int vectorsBehindRefusedKeys;
        int knownFalseRefusals;

        @Override
        public String toString() {
            return String.format("run %4d  passed %4d  acceptable %d (accepted %d)  refused keys %d (%d vectors)%s",
                    run, passed, acceptable, acceptableAccepted, refusedKeys, vectorsBehindRefusedKeys,
                    knownFalseRefusals == 0 ? "" : "  known JDK false refusals " + knownFalseRefusals);
        }
    }

    @BeforeAll
    static void locateVectors() {
        folder = vectorFolder();
        if (!Files.isDirectory(folder)) {
            String message = "Wycheproof vectors not found at " + folder + " (set -Djeton.wycheproof.dir=...)";
            if ("true".equals(System.getenv("JETON_REQUIRE_RESOURCES"))) {
                throw new AssertionError(message + "; JETON_REQUIRE_RESOURCES=true requires them");
            }
            // Surefire does not show why a whole class was aborted, so say it on the console too.
            System.err.println("WycheproofConformanceTest: " + message + "; skipping the conformance tests");
            Assumptions.abort(message + "; skipping the conformance tests");
        }
    }

    private static Path vectorFolder() {
        String explicit = System.getProperty("jeton.wycheproof.dir");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        String shared = System.getProperty("jeton.shared.dir");
        if (shared != null && !shared.isBlank()) {
            return Path.of(shared, "wycheproof").toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        Path root = dir != null ? dir : Path.of("").toAbsolutePath();
        return root.resolve("../shared/wycheproof").normalize();
    }

    @AfterAll
    static void printCounts() {
        if (COUNTS.isEmpty()) {
            return;
        }
        StringBuilder out = new StringBuilder("Wycheproof conformance (" + folder + "):\n");
        COUNTS.forEach((name, counts) -> out.append(String.format("  %-28s %s%n", name, counts)));
        REFUSED_KEYS.forEach(refused -> out.append("  refused key: ").append(refused).append('\n'));
        System.out.print(out);
    }

    private static synchronized Counts counts(String name) {
        return COUNTS.computeIfAbsent(name, n -> new Counts());
    }

    static Stream<Arguments> filesAndPolicies() {
        return FILES.keySet().stream().sorted()
                .flatMap(file -> Stream.of(ProviderPolicy.values()).map(policy -> Arguments.of(file, policy)));
    }

    @Test
    void everyFileNamedInSourceMdIsRun() throws IOException {
        String source = Files.readString(folder.resolve("SOURCE.md"));
        for (String file : FILES.keySet()) {
            assertThat(Files.exists(folder.resolve(file))).as(file).isTrue();
        }
        // SOURCE.md names the files by pattern; each pattern must resolve to files run here.
        assertThat(source).contains("ecdsa_secp", "rsa_signature_", "rsa_pss_2048_sha256_mgf1_32", "ed25519_test.json",
                "ed448_test.json", "hmac_sha", "json_web_signature_test.json");
        try (Stream<Path> listed = Files.list(folder)) {
            Set<String> present = new TreeSet<>();
            listed.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ecdsa_") || n.startsWith("rsa_") || n.startsWith("ed")
                            || n.startsWith("hmac_"))
                    .forEach(present::add);
            assertThat(present).containsExactlyInAnyOrderElementsOf(FILES.keySet());
        }
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("filesAndPolicies")
    void primitiveVectorsThroughPreparedKeyVerify(String file, ProviderPolicy policy) throws IOException {
        JwsAlgorithm alg = FILES.get(file);
        JsonNode root = MAPPER.readTree(folder.resolve(file).toFile());
        PreparedKeys prepared = new PreparedKeys(policy);
        String name = alg == JwsAlgorithm.EdDSA ? file.replace("_test.json", "") : alg.id();
        Counts counts = counts(name + " " + policy);
        List<String> failures = new ArrayList<>();
        Set<Integer> knownFalseRefusals = policy == ProviderPolicy.JDK_ONLY && Runtime.version().feature() < 25
                ? JDK17_ECDSA_FALSE_REFUSALS.getOrDefault(alg, Set.of()) : Set.of();
        Set<Integer> falseRefusals = new TreeSet<>();
        int groups = 0;
        for (JsonNode group : root.get("testGroups")) {
            if (alg.family() == JwsAlgorithm.Family.HMAC && group.get("tagSize").asInt() != alg.hashBits()) {
                continue; // JWS HMAC tags are never truncated
            }
            groups++;
            List<JsonNode> tests = new ArrayList<>();
            group.get("tests").forEach(tests::add);
            if (alg.family() == JwsAlgorithm.Family.HMAC) {
                for (JsonNode test : tests) {
                    byte[] secret = hex(test.get("key").asText());
                    JwtKey key = loadOrRefuse(() -> JwtKey.hmac("wycheproof", alg, secret),
                            group.get("keySize").asInt() < alg.hashBits(),
                            file + " tcId " + test.get("tcId").asInt() + " (" + secret.length + "-byte key)",
                            counts, 1, failures);
                    if (key != null) {
                        runVector(prepared, key, test, "tag", counts, file, failures, Set.of());
                    }
                }
                continue;
            }
            PublicKey publicKey = publicKey(alg, hex(group.get("publicKeyDer").asText()));
            int keyBits = group.has("keySize") ? group.get("keySize").asInt() : 0;
            boolean weak = (alg.family() == JwsAlgorithm.Family.RSA || alg.family() == JwsAlgorithm.Family.RSA_PSS)
                    && keyBits < 2048;
            JwtKey key = loadOrRefuse(() -> JwtKey.ofPublicKey("wycheproof", alg, publicKey), weak,
                    file + " group " + groups + " (" + keyBits + " bits)", counts, tests.size(), failures);
            if (key == null) {
                continue;
            }
            for (JsonNode test : tests) {
                runVector(prepared, key, test, "sig", counts, file, failures, knownFalseRefusals);
            }
        }
        assertThat(groups).as("groups run in " + file).isPositive();
        failures.removeIf(failure -> {
            for (int tcId : knownFalseRefusals) {
                if (failure.startsWith(file + " tcId " + tcId + " (valid")) {
                    falseRefusals.add(tcId);
                    return true;
                }
            }
            return false;
        });
        assertThat(failures).as(file + " under " + policy).isEmpty();
        if (Runtime.version().feature() == 17 || Runtime.version().feature() >= 25) {
            assertThat(falseRefusals).as("JDK " + Runtime.version().feature() + " ECDSA false refusals")
                    .containsExactlyInAnyOrderElementsOf(knownFalseRefusals);
        }
    }

    private interface KeyLoader {
        JwtKey load();
    }

    /**
     * Loads a key, or checks that Jeton refuses it with {@link KeyException} exactly when it is weak by Jeton's rules
     * (RSA under 2048 bits, HMAC secrets shorter than the hash). A key refused for any other reason is a failure, so
     * no valid vector is skipped silently.
     */
    private static JwtKey loadOrRefuse(KeyLoader loader, boolean weak, String what, Counts counts, int vectors,
                                       List<String> failures) {
        if (!weak) {
            return loader.load();
        }
        KeyException refused = catchThrowableOfType(KeyException.class, loader::load);
        if (refused == null) {
            failures.add(what + ": a weak key was not refused");
            return null;
        }
        synchronized (WycheproofConformanceTest.class) {
            counts.refusedKeys++;
            counts.vectorsBehindRefusedKeys += vectors;
            REFUSED_KEYS.add(what + ": " + refused.getMessage());
        }
        return null;
    }

    private static void runVector(PreparedKeys prepared, JwtKey key, JsonNode test, String sigField, Counts counts,
                                  String file, List<String> failures, Set<Integer> knownFalseRefusals) {
        int tcId = test.get("tcId").asInt();
        String result = test.get("result").asText();
        boolean verified = prepared.get(key).verify(hex(test.get("msg").asText()), hex(test.get(sigField).asText()));
        synchronized (WycheproofConformanceTest.class) {
            counts.run++;
            switch (result) {
                case "valid" -> {
                    if (verified) {
                        counts.passed++;
                    } else if (knownFalseRefusals.contains(tcId)) {
                        counts.knownFalseRefusals++;
                        failures.add(file + " tcId " + tcId + " (valid, known JDK false refusal)");
                    } else {
                        failures.add(file + " tcId " + tcId + " (valid, " + test.get("comment").asText()
                                + ") did not verify");
                    }
                }
                case "invalid" -> {
                    if (!verified) {
                        counts.passed++;
                    } else {
                        failures.add(file + " tcId " + tcId + " (invalid, " + test.get("comment").asText() + ", "
                                + test.get("flags") + ") verified");
                    }
                }
                case "acceptable" -> {
                    // The only acceptable vectors are RSA PKCS#1 v1.5 ones (one per file, flag MissingNull): a
                    // DigestInfo whose hash AlgorithmIdentifier omits the NULL parameters, which RFC 8017 §9.2 note 1
                    // lets verifiers accept. RSA verifies on the JDK's provider under both policies, and it accepts
                    // them; Jeton does so consistently, which is asserted here so that a change shows.
                    counts.acceptable++;
                    if (verified) {
                        counts.acceptableAccepted++;
                        counts.passed++;
                    } else {
                        failures.add(file + " tcId " + tcId + " (acceptable, " + test.get("flags")
                                + ") was refused, but Jeton accepts the acceptable vectors consistently");
                    }
                }
                default -> failures.add(file + " tcId " + tcId + ": unknown result " + result);
            }
        }
    }

    private static PublicKey publicKey(JwsAlgorithm alg, byte[] der) {
        List<String> factories = switch (alg.family()) {
            case ECDSA -> List.of("EC");
            case RSA -> List.of("RSA");
            case RSA_PSS -> List.of("RSA", "RSASSA-PSS");
            case EDDSA -> List.of("EdDSA");
            case HMAC -> throw new IllegalArgumentException("HMAC has no public key");
        };
        GeneralSecurityException last = null;
        for (String factory : factories) {
            try {
                return KeyFactory.getInstance(factory).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new AssertionError("the JDK cannot read the vector's " + alg + " key", last);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    // ---- json_web_signature_test.json through AccessTokenValidator ----

    /**
     * Each compact JWS goes through {@link AccessTokenValidator} with its group's key (read by {@link JwkSets}, as a
     * resource server reads a JWKS). None of these tokens is an RFC 9068 access token: none has {@code typ: at+jwt},
     * which the validator checks before it looks the key up and verifies the signature. So a token that passes every
     * structural check (three canonical base64url segments, a JSON header, an allowed {@code alg}, no unsupported
     * header) is refused with WRONG_TYPE, and one that does not is refused with the structural reason. Jeton's
     * signature-level outcome is then: accepted iff the validator got as far as WRONG_TYPE, the header's
     * {@code kid} and {@code alg} are the key's (what the validator checks next), and the signature verifies through
     * {@link PreparedKeys.Prepared#verify} (what it checks after). Valid vectors must be accepted, invalid ones
     * refused, except the tcIds listed above with their reasons. No token validates.
     */
    @ParameterizedTest(name = "json_web_signature_test.json with {0}")
    @org.junit.jupiter.params.provider.EnumSource(ProviderPolicy.class)
    void compactJwsVectorsThroughAccessTokenValidator(ProviderPolicy policy) throws IOException {
        JsonNode root = MAPPER.readTree(folder.resolve("json_web_signature_test.json").toFile());
        Counts counts = counts("JWS " + policy);
        PreparedKeys prepared = new PreparedKeys(policy);
        List<String> failures = new ArrayList<>();
        Set<Integer> quirksSeen = new TreeSet<>();
        Map<Reason, Integer> reasons = new TreeMap<>();
        for (JsonNode group : root.get("testGroups")) {
            JsonNode jwk = group.has("public") ? group.get("public") : group.get("private");
            String describe = "json_web_signature_test.json group '" + group.get("comment").asText() + "' (kty "
                    + jwk.path("kty").asText() + ", alg " + jwk.path("alg").asText("none") + ", use "
                    + jwk.path("use").asText("none") + ", key_ops " + jwk.path("key_ops") + ")";
            List<JwtKey> keys;
            String refusal = null;
            try {
                keys = JwkSets.parse("{\"keys\":[" + MAPPER.writeValueAsString(jwk) + "]}");
                if (keys.isEmpty()) {
                    refusal = "skipped by the JWK set reader: not a signature key";
                }
            } catch (KeyException e) {
                keys = List.of();
                refusal = e.getMessage();
            }
            if (refusal != null) {
                counts.refusedKeys++;
                counts.vectorsBehindRefusedKeys += group.get("tests").size();
                REFUSED_KEYS.add(describe + ": " + refusal);
            }
            JwtKey key = keys.isEmpty() ? null : keys.get(0);
            AccessTokenValidator validator = key == null ? null : AccessTokenValidator.builder()
                    .issuer("https://issuer.example").audience("https://audience.example")
                    .keys(KeyProvider.verifyingOnly(List.of(key))).providerPolicy(policy)
                    .clock(TestClock.fixed()).build();
            for (JsonNode test : group.get("tests")) {
                int tcId = test.get("tcId").asInt();
                String jws = test.get("jws").asText();
                String result = test.get("result").asText();
                String label = "tcId " + tcId + " (" + result + ", " + test.get("comment").asText() + ")";
                counts.run++;
                boolean accepted = false;
                if (validator != null) {
                    Reason reason = catchThrowableOfType(InvalidTokenException.class,
                            () -> validator.validate(jws)).reason();
                    reasons.merge(reason, 1, Integer::sum);
                    accepted = reason == Reason.WRONG_TYPE && signatureAccepted(jws, key, prepared);
                }
                boolean expected = "valid".equals(result);
                if (QUIRK_MARKED_INVALID_BUT_IDENTICAL_TO_VALID.contains(tcId)
                        || QUIRK_MARKED_VALID_BUT_NOT_BASE64URL.contains(tcId)
                        || REFUSED_ALG_DIFFERS_FROM_KEY.contains(tcId) || REFUSED_EMPTY_PAYLOAD.contains(tcId)) {
                    quirksSeen.add(tcId);
                    boolean jetonOutcome = QUIRK_MARKED_INVALID_BUT_IDENTICAL_TO_VALID.contains(tcId);
                    if (accepted != jetonOutcome) {
                        failures.add(label + ": documented exception, expected Jeton to "
                                + (jetonOutcome ? "accept" : "refuse") + " it");
                    } else {
                        counts.passed++;
                    }
                    continue;
                }
                if (REFUSED_KEY_WITH_UNKNOWN_ALG.contains(tcId)) {
                    quirksSeen.add(tcId);
                    if (key != null || !"ES521".equals(jwk.path("alg").asText())) {
                        failures.add(label + ": documented as refused at key load for its alg ES521");
                    } else {
                        counts.passed++;
                    }
                } else if (key == null && expected) {
                    failures.add(label + ": valid vector behind a key Jeton refused");
                } else if (accepted != expected) {
                    failures.add(label + ": Jeton " + (accepted ? "accepted" : "refused") + " it");
                } else {
                    counts.passed++;
                }
            }
        }
        System.out.println("json_web_signature_test.json under " + policy + ": validator reasons " + reasons);
        assertThat(quirksSeen).containsExactlyInAnyOrderElementsOf(union(QUIRK_MARKED_INVALID_BUT_IDENTICAL_TO_VALID,
                QUIRK_MARKED_VALID_BUT_NOT_BASE64URL, REFUSED_ALG_DIFFERS_FROM_KEY, REFUSED_EMPTY_PAYLOAD,
                REFUSED_KEY_WITH_UNKNOWN_ALG));
        assertThat(failures).isEmpty();
    }

    /** The checks the validator makes after {@code typ}: kid and alg are the key's, and the signature verifies. */
    private static boolean signatureAccepted(String jws, JwtKey key, PreparedKeys prepared) {
        int dot1 = jws.indexOf('.');
        int dot2 = jws.indexOf('.', dot1 + 1);
        Map<String, Object> header = Json.parseObject(Base64Url.decode(jws.substring(0, dot1)), true);
        if (!key.kid().equals(header.get("kid")) || !key.algorithm().id().equals(header.get("alg"))) {
            return false;
        }
        byte[] input = jws.substring(0, dot2).getBytes(StandardCharsets.US_ASCII);
        return prepared.get(key).verify(input, Base64Url.decode(jws.substring(dot2 + 1)));
    }

    @SafeVarargs
    private static Set<Integer> union(Set<Integer>... sets) {
        Set<Integer> all = new TreeSet<>();
        for (Set<Integer> set : sets) {
            all.addAll(set);
        }
        return all;
    }
}
