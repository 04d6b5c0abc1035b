package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.Json;
import dev.jeton.internal.KeyChecks;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.KeyOperation;
import io.jsonwebtoken.security.PrivateJwk;
import io.jsonwebtoken.security.PublicJwk;
import io.jsonwebtoken.security.SecretJwk;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * JWK sets (RFC 7517) in and out. Parsing and key conversion are jjwt's ({@code Jwks}), which also checks that EC
 * points lie on their curve; every key then passes Jeton's own strength checks.
 *
 * <p>Reading: each JWK must have a {@code kid}. Its algorithm is the JWK's {@code alg}, or when absent the one its
 * key type implies: the curve's ES algorithm for {@code EC}, EdDSA for {@code OKP}, RS256 for {@code RSA} (the
 * RFC 9068 default). A secret ({@code oct}) JWK must name its {@code alg}. Keys marked {@code "use": "enc"}, or
 * whose {@code key_ops} (RFC 7517 §4.3) name neither {@code verify} nor {@code sign}, are not for signatures: a set
 * skips them and {@link #parseKey} refuses them.
 */
public final class JwkSets {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JwkSets.class);

    private JwkSets() {
    }

    /**
     * Reads every signing key of a JWK set.
     *
     * @throws KeyException if the JSON is not a JWK set, or a signature key is unusable (weak, no kid, unknown
     *     algorithm); the message names the key by kid or position, never its material
     */
    public static List<JwtKey> parse(String jwkSetJson) {
        return parse(jwkSetJson, problem -> {
            throw problem;
        });
    }

    /**
     * Reads the usable signing keys of a JWK set, handing each unusable one to {@code onUnusable} instead of failing;
     * for remote sets that may carry keys this library does not take.
     */
    static List<JwtKey> parse(String jwkSetJson, Consumer<KeyException> onUnusable) {
        // Each member is parsed on its own: jjwt's set parser, told to ignore unsupported keys, also drops invalid
        // ones (an EC point off its curve) without a word, which would hide them from strict callers and from logs.
        Map<String, Object> set;
        try {
            set = Json.parseObject(jwkSetJson.getBytes(StandardCharsets.UTF_8));
        } catch (Json.JsonException e) {
            throw new KeyException("not a valid JWK set (" + e.getMessage() + ")");
        }
        if (!(set.get("keys") instanceof List<?> members)) {
            throw new KeyException("not a valid JWK set (no \"keys\" array)");
        }
        List<JwtKey> keys = new ArrayList<>();
        for (int index = 0; index < members.size(); index++) {
            Object member = members.get(index);
            Object kid = member instanceof Map<?, ?> map ? map.get("kid") : null;
            String where = isPrintableKid(kid) ? "JWK '" + kid + "'" : "JWK #" + index;
            if (!(member instanceof Map<?, ?> map)) {
                onUnusable.accept(new KeyException(where + " is not a JSON object"));
                continue;
            }
            if (!isForSignatures(map.get("use"), map.get("key_ops"))) {
                continue;
            }
            try {
                Jwk<?> jwk = Jwks.parser().build().parse(Json.writeString(object(map)));
                keys.add(toJwtKey(jwk, where));
            } catch (KeyException e) {
                onUnusable.accept(e);
            } catch (RuntimeException e) {
                onUnusable.accept(new KeyException(where + " is unusable (" + e.getClass().getSimpleName() + ")"));
            }
        }
        return List.copyOf(keys);
    }

    /**
     * Whether a JWK's {@code use} and {@code key_ops} allow signatures: {@code use} absent or {@code sig}, and
     * {@code key_ops} absent or naming {@code verify} or {@code sign} (RFC 7517 §4.2, §4.3).
     */
    private static boolean isForSignatures(Object use, Object keyOps) {
        if (use != null && !"sig".equals(use)) {
            return false;
        }
        if (keyOps == null) {
            return true;
        }
        return keyOps instanceof java.util.Collection<?> ops && (ops.contains("verify") || ops.contains("sign"));
    }

    /** Whether a kid from a set may appear in messages and logs: a valid kid, so no control characters. */
    private static boolean isPrintableKid(Object kid) {
        if (!(kid instanceof String s)) {
            return false;
        }
        try {
            KeyChecks.checkKid(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A member of a set from {@link Json#parseObject}, whose objects always have String keys. */
    @SuppressWarnings("unchecked")
    private static Map<String, ?> object(Map<?, ?> map) {
        return (Map<String, ?>) map;
    }

    /**
     * Reads one JWK (public, private or secret).
     *
     * @throws KeyException if it is not a valid, strong signing key with a kid
     */
    public static JwtKey parseKey(String jwkJson) {
        Jwk<?> jwk;
        try {
            jwk = Jwks.parser().build().parse(jwkJson);
        } catch (RuntimeException e) {
            throw new KeyException("not a valid JWK (" + e.getClass().getSimpleName() + ")");
        }
        if (!isForSignatures(jwk.get("use"), jwk.getOperations() == null ? null
                : jwk.getOperations().stream().map(KeyOperation::getId).toList())) {
            throw new KeyException((jwk.getId() != null ? "JWK '" + jwk.getId() + "'" : "JWK")
                    + " is not for signatures (its use or key_ops say otherwise)");
        }
        return toJwtKey(jwk, jwk.getId() != null ? "JWK '" + jwk.getId() + "'" : "JWK");
    }

    private static JwtKey toJwtKey(Jwk<?> jwk, String where) {
        String kid = jwk.getId();
        if (kid == null || kid.isEmpty()) {
            throw new KeyException(where + " has no kid; Jeton looks keys up by kid");
        }
        Key key = jwk.toKey();
        JwsAlgorithm alg = algorithm(jwk, key, where);
        if (jwk instanceof SecretJwk) {
            byte[] secret = key.getEncoded();
            try {
                return JwtKey.hmac(kid, alg, secret);
            } finally {
                java.util.Arrays.fill(secret, (byte) 0);
            }
        }
        if (jwk instanceof PrivateJwk<?, ?, ?> privateJwk) {
            PublicKey publicKey = (PublicKey) privateJwk.toPublicJwk().toKey();
            return JwtKey.ofKeyPair(kid, alg, new KeyPair(publicKey, (PrivateKey) key));
        }
        if (jwk instanceof PublicJwk<?>) {
            return JwtKey.ofPublicKey(kid, alg, (PublicKey) key);
        }
        throw new KeyException(where + " is not a signing key");
    }

    private static JwsAlgorithm algorithm(Jwk<?> jwk, Key key, String where) {
        String alg = jwk.getAlgorithm();
        if (alg != null) {
            return JwsAlgorithm.fromId(alg).orElseThrow(
                    () -> new KeyException(where + " has an algorithm Jeton does not sign with"));
        }
        return switch (jwk.getType()) {
            case "EC" -> JwtKey.ecAlgorithm((ECPublicKey) (key instanceof PublicKey ? key
                    : ((PrivateJwk<?, ?, ?>) jwk).toPublicJwk().toKey()));
            case "OKP" -> JwsAlgorithm.EdDSA;
            case "RSA" -> JwsAlgorithm.RS256;
            default -> throw new KeyException(where + " has no alg; a secret JWK must name its algorithm");
        };
    }

    /**
     * The public JWK of one key: {@code kty}, the public parameters, {@code kid}, {@code alg}, {@code use: "sig"}.
     *
     * @throws KeyException for an HMAC key, which has no public part
     */
    public static Map<String, Object> toPublicJwk(JwtKey key) {
        if (!key.isPublishable()) {
            throw new KeyException("key '" + key.kid() + "' is a shared secret and is never published");
        }
        PublicJwk<?> jwk = Jwks.builder().key((PublicKey) key.verificationKey())
                .id(key.kid())
                .algorithm(key.algorithm().id())
                .publicKeyUse("sig")
                .build();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : jwk.entrySet()) {
            Object value = e.getValue();
            out.put(e.getKey(), value instanceof java.util.Collection<?> c ? List.copyOf(c) : String.valueOf(value));
        }
        return out;
    }

    /** The public JWK set of the publishable keys among {@code keys}, as JSON; secrets are left out. */
    public static String toPublicJson(List<JwtKey> keys) {
        List<Object> jwks = new ArrayList<>();
        for (JwtKey key : keys) {
            if (key.isPublishable()) {
                jwks.add(toPublicJwk(key));
            } else {
                LOG.trace("JWK set leaves out shared-secret key '{}'", key.kid());
            }
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("keys", jwks);
        return Json.writeString(set);
    }
}
