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
 *
 * <p>Trusted and public sets: {@link #parse} and {@link #parseKey} read whatever the JSON holds, private keys and
 * shared secrets included; use them only for keys you hold yourself (your own key file). A set that comes from
 * anyone else, or that anyone else can read (a JWKS URL, a set copied from an authorization server), is read with
 * {@link #parsePublic(String)}: a published secret would let every reader mint tokens, so such a set never
 * supplies one. {@link RemoteJwksKeyProvider} reads what it fetches that way.
 *
 * <p>Thread safety: stateless; every method may be called from any thread.
 */
public final class JwkSets {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JwkSets.class);
    /** The members of private and secret JWKs (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2), in a fixed order. */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    private JwkSets() {
    }

    /**
     * Reads every signing key of a JWK set you hold yourself: private keys, key pairs and shared secrets
     * ({@code oct}) are read as they are, so the result may sign. Never use it for a set from another party or one
     * others can read; use {@link #parsePublic(String)} there.
     *
     * @throws KeyException if the JSON is not a JWK set, or a signature key is unusable (weak, no kid, unknown
     *     algorithm); the message names the key by kid or position, never its material
     */
    public static List<JwtKey> parse(String jwkSetJson) {
        return read(jwkSetJson, null, JwkSets::fail);
    }

    /**
     * Reads the public signing keys of a JWK set that is not trusted with secrets: a set published at a JWKS URL,
     * or copied from an authorization server. Every member that is a shared secret ({@code "kty": "oct"}) or that
     * carries a private member ({@code d}, {@code p}, {@code q}, {@code dp}, {@code dq}, {@code qi}, {@code oth},
     * {@code k}) is skipped, with a WARN log naming its kid (never its material): whoever can read the set could
     * sign with that key, so tokens signed with it are refused ({@code UNKNOWN_KEY}). The keys returned only
     * verify.
     *
     * @throws KeyException if the JSON is not a JWK set, or a public signature key is unusable (weak, no kid, unknown
     *     algorithm); the message names the key by kid or position, never its material
     */
    public static List<JwtKey> parsePublic(String jwkSetJson) {
        return read(jwkSetJson, "a public JWK set", JwkSets::fail);
    }

    /**
     * {@link #parsePublic(String)}, handing each unusable key to {@code onUnusable} instead of failing; for remote
     * sets that may carry keys this library does not take. {@code source} names the set in the warning logs.
     */
    static List<JwtKey> parsePublic(String jwkSetJson, String source, Consumer<KeyException> onUnusable) {
        return read(jwkSetJson, source, onUnusable);
    }

    private static void fail(KeyException problem) {
        throw problem;
    }

    /** Reads a set; {@code publicSource} names a public set, whose secret and private keys are skipped, or is null. */
    private static List<JwtKey> read(String jwkSetJson, String publicSource, Consumer<KeyException> onUnusable) {
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
            if (publicSource != null && carriesSecret(map)) {
                LOG.warn("Skipping {} of {}: it carries secret or private key material ({}), which a public key set "
                        + "never supplies; tokens signed with it are refused", where, publicSource, secretMembers(map));
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

    /** Whether a JWK is a shared secret or has any private member, whatever its other members say. */
    private static boolean carriesSecret(Map<?, ?> jwk) {
        return "oct".equals(jwk.get("kty")) || PRIVATE_MEMBERS.stream().anyMatch(jwk::containsKey);
    }

    /** The names, never the values, of what makes a JWK secret: for logs. */
    private static String secretMembers(Map<?, ?> jwk) {
        List<String> found = new ArrayList<>();
        if ("oct".equals(jwk.get("kty"))) {
            found.add("kty oct");
        }
        PRIVATE_MEMBERS.stream().filter(jwk::containsKey).forEach(name -> found.add("member " + name));
        return String.join(", ", found);
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
     * Reads one JWK you hold yourself (public, private or secret); like {@link #parse}, not for keys from another
     * party.
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
