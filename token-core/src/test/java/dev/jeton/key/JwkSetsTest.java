package dev.jeton.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.jeton.KeyException;
import dev.jeton.internal.Base64Url;
import dev.jeton.internal.Json;
import dev.jeton.testing.CapturedLog;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JwkSetsTest {

    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private static List<JwtKey> oneKeyPerAlgorithm() {
        List<JwtKey> keys = new ArrayList<>();
        for (JwsAlgorithm alg : JwsAlgorithm.values()) {
            keys.add(JwtKey.generate("kid-" + alg, alg));
        }
        keys.add(JwtKey.ofKeyPair("kid-Ed448", JwsAlgorithm.EdDSA, TestKeyType.ED448.generate()));
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> members(String jwkSetJson) {
        Map<String, Object> set = Json.parseObject(jwkSetJson.getBytes(StandardCharsets.UTF_8));
        return (List<Map<String, Object>>) set.get("keys");
    }

    @Test
    void exportOfEveryAlgorithmHasNoPrivateOrSecretMemberAndLeavesOutHmacKeys() throws Exception {
        List<JwtKey> keys = oneKeyPerAlgorithm();

        String json = KeyProvider.of(keys.get(0), keys.subList(1, keys.size()).toArray(JwtKey[]::new)).jwksJson();

        List<Map<String, Object>> jwks = members(json);
        assertThat(jwks).extracting(jwk -> jwk.get("kid")).containsExactlyInAnyOrder(
                "kid-RS256", "kid-RS384", "kid-RS512", "kid-PS256", "kid-PS384", "kid-PS512",
                "kid-ES256", "kid-ES384", "kid-ES512", "kid-EdDSA", "kid-Ed448");
        for (Map<String, Object> jwk : jwks) {
            assertThat(jwk.keySet()).as("members of %s", jwk.get("kid")).doesNotContainAnyElementsOf(PRIVATE_MEMBERS);
            assertThat(jwk).containsEntry("use", "sig").containsKey("alg");
        }
        // An independent reading: Nimbus sees only public keys.
        for (JWK jwk : JWKSet.parse(json).getKeys()) {
            assertThat(jwk.isPrivate()).as("Nimbus sees %s as private", jwk.getKeyID()).isFalse();
        }
    }

    @Test
    void exportOfOnlyHmacKeysIsAnEmptySet() {
        String json = JwkSets.toPublicJson(List.of(JwtKey.generate("h", JwsAlgorithm.HS512)));

        assertThat(members(json)).isEmpty();
    }

    @Test
    void publicJwkOfHmacKeyIsRefused() {
        assertThatThrownBy(() -> JwkSets.toPublicJwk(JwtKey.generate("h", JwsAlgorithm.HS256)))
                .isInstanceOf(KeyException.class)
                .hasMessage("key 'h' is a shared secret and is never published");
    }

    @Test
    void exportedSetParsesBackToTheSameKeysForEveryAsymmetricAlgorithm() {
        List<JwtKey> keys = oneKeyPerAlgorithm().stream().filter(JwtKey::isPublishable).toList();

        List<JwtKey> parsed = JwkSets.parse(JwkSets.toPublicJson(keys));

        assertThat(parsed).hasSameSizeAs(keys);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(parsed.get(i).kid()).isEqualTo(keys.get(i).kid());
            assertThat(parsed.get(i).algorithm()).isEqualTo(keys.get(i).algorithm());
            assertThat(parsed.get(i).canSign()).isFalse();
            assertThat(parsed.get(i).verificationKey().getEncoded())
                    .isEqualTo(keys.get(i).verificationKey().getEncoded());
        }
    }

    @ParameterizedTest
    @EnumSource(value = JwsAlgorithm.class, names = {"HS256", "HS384", "HS512"})
    void secretJwkParsesToAnHmacKey(JwsAlgorithm alg) {
        byte[] secret = new byte[alg.hashBits() / 8];
        Arrays.fill(secret, (byte) 7);
        String json = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"h\",\"alg\":\"" + alg + "\",\"k\":\""
                + Base64Url.encode(secret) + "\"}]}";

        List<JwtKey> parsed = JwkSets.parse(json);

        assertThat(parsed).singleElement().satisfies(key -> {
            assertThat(key.algorithm()).isEqualTo(alg);
            assertThat(key.canSign()).isTrue();
            assertThat(key.verificationKey().getEncoded()).isEqualTo(secret);
        });
    }

    @Test
    void ecPointOffTheCurveIsRefused() {
        KeyPair pair = TestKeyType.EC_P256.generate();
        ECPublicKey publicKey = (ECPublicKey) pair.getPublic();
        BigInteger y = publicKey.getW().getAffineY().add(BigInteger.ONE);
        String json = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"bad\",\"alg\":\"ES256\","
                + "\"x\":\"" + coordinate(publicKey.getW().getAffineX(), 32) + "\","
                + "\"y\":\"" + coordinate(y, 32) + "\"}";

        assertThatThrownBy(() -> JwkSets.parseKey(json)).isInstanceOf(KeyException.class);
        assertThatThrownBy(() -> JwkSets.parse("{\"keys\":[" + json + "]}")).isInstanceOf(KeyException.class);
    }

    @Test
    void jwkWithoutKidIsRefused() {
        Map<String, Object> jwk = new LinkedHashMap<>(JwkSets.toPublicJwk(JwtKey.generate("x", JwsAlgorithm.ES384)));
        jwk.remove("kid");
        String json = Json.writeString(Map.of("keys", List.of(jwk)));

        assertThatThrownBy(() -> JwkSets.parse(json))
                .isInstanceOf(KeyException.class)
                .hasMessage("JWK #0 has no kid; Jeton looks keys up by kid");
    }

    @Test
    void lenientParsingSkipsUnusableKeysAndKeepsTheOthers() {
        Map<String, Object> good = JwkSets.toPublicJwk(JwtKey.generate("good", JwsAlgorithm.ES256));
        Map<String, Object> noKid = new LinkedHashMap<>(JwkSets.toPublicJwk(JwtKey.generate("x", JwsAlgorithm.RS256)));
        noKid.remove("kid");
        List<KeyException> problems = new ArrayList<>();

        List<JwtKey> parsed = JwkSets.parsePublic(Json.writeString(Map.of("keys", List.of(noKid, good))), "a test set",
                problems::add);

        assertThat(parsed).extracting(JwtKey::kid).containsExactly("good");
        assertThat(problems).extracting(Throwable::getMessage)
                .containsExactly("JWK #0 has no kid; Jeton looks keys up by kid");
    }

    @Test
    void keysWhoseUseOrKeyOpsExcludeSignaturesAreSkippedInASetAndRefusedAlone() {
        Map<String, Object> verify = withoutUse(JwtKey.generate("verify", JwsAlgorithm.ES256));
        verify.put("key_ops", List.of("verify"));
        Map<String, Object> encrypt = withoutUse(JwtKey.generate("encrypt", JwsAlgorithm.ES256));
        encrypt.put("key_ops", List.of("encrypt"));
        Map<String, Object> enc = withoutUse(JwtKey.generate("enc", JwsAlgorithm.RS256));
        enc.put("use", "enc");

        assertThat(JwkSets.parse(Json.writeString(Map.of("keys", List.of(verify, encrypt, enc)))))
                .extracting(JwtKey::kid).containsExactly("verify");
        assertThat(JwkSets.parseKey(Json.writeString(verify)).kid()).isEqualTo("verify");
        assertThatThrownBy(() -> JwkSets.parseKey(Json.writeString(encrypt)))
                .isInstanceOf(KeyException.class)
                .hasMessage("JWK 'encrypt' is not for signatures (its use or key_ops say otherwise)");
        assertThatThrownBy(() -> JwkSets.parseKey(Json.writeString(enc)))
                .isInstanceOf(KeyException.class)
                .hasMessage("JWK 'enc' is not for signatures (its use or key_ops say otherwise)");
    }

    @Test
    void publicSetSkipsSharedSecretsAndPrivateKeysWithAWarningNamingTheKid() throws Exception {
        SetWithSecrets set = SetWithSecrets.generate();
        List<JwtKey> parsed;
        List<String> warnings;
        String everything;
        try (CapturedLog log = CapturedLog.start()) {
            parsed = JwkSets.parsePublic(set.json());
            warnings = log.warnings(JwkSets.class);
            everything = String.join("\n", log.lines());
        }

        assertThat(parsed).extracting(JwtKey::kid).containsExactly("public");
        assertThat(parsed.get(0).canSign()).isFalse();
        assertThat(warnings).hasSize(3);
        assertThat(warnings).filteredOn(w -> w.contains("JWK 'shared' of a public JWK set")).singleElement()
                .satisfies(w -> assertThat(w).contains("(kty oct, member k)"));
        assertThat(warnings).filteredOn(w -> w.contains("JWK 'rsa-private' of a public JWK set")).singleElement()
                .satisfies(w -> assertThat(w).contains("(member d, member p, member q, member dp, member dq, "
                        + "member qi)"));
        assertThat(warnings).filteredOn(w -> w.contains("JWK 'ec-private' of a public JWK set")).singleElement()
                .satisfies(w -> assertThat(w).contains("(member d)"));
        for (String secret : set.secretValues()) {
            assertThat(everything).doesNotContain(secret);
        }
    }

    @Test
    void trustedSetStillReadsItsOwnPrivateKeysAndSharedSecrets() throws Exception {
        List<JwtKey> parsed = JwkSets.parse(SetWithSecrets.generate().json());

        assertThat(parsed).extracting(JwtKey::kid).containsExactly("shared", "rsa-private", "ec-private", "public");
        assertThat(parsed).filteredOn(JwtKey::canSign).extracting(JwtKey::kid)
                .containsExactly("shared", "rsa-private", "ec-private");
    }

    /** A set with a shared secret, an RSA and an EC private key (generated by Nimbus), and one public key. */
    private record SetWithSecrets(String json, List<String> secretValues) {
        static SetWithSecrets generate() throws Exception {
            OctetSequenceKey shared = new OctetSequenceKeyGenerator(256).keyID("shared")
                    .algorithm(JWSAlgorithm.HS256).generate();
            RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-private").algorithm(JWSAlgorithm.RS256).generate();
            ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-private").algorithm(JWSAlgorithm.ES256).generate();
            Map<String, Object> publicKey = JwkSets.toPublicJwk(JwtKey.generate("public", JwsAlgorithm.ES256));
            String json = "{\"keys\":[" + shared.toJSONString() + "," + rsa.toJSONString() + "," + ec.toJSONString()
                    + "," + Json.writeString(publicKey) + "]}";
            return new SetWithSecrets(json, List.of(shared.getKeyValue().toString(),
                    rsa.getPrivateExponent().toString(), rsa.getFirstPrimeFactor().toString(), ec.getD().toString()));
        }
    }

    private static Map<String, Object> withoutUse(JwtKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>(JwkSets.toPublicJwk(key));
        jwk.remove("use");
        return jwk;
    }

    private static String coordinate(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] fixed = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, fixed, length - copy, copy);
        return Base64Url.encode(fixed);
    }
}
