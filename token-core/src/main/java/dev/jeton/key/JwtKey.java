package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.Curves;
import dev.jeton.internal.Jca;
import dev.jeton.internal.KeyChecks;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key bound to exactly one JWS algorithm and identified by a {@code kid}: a public key (verify only), a key
 * pair (sign and verify), or an HMAC secret (sign and verify, never published).
 *
 * <p>Every factory checks the key when it is created and throws {@link KeyException} for a weak or mismatched key:
 * HMAC secrets shorter than the hash, RSA moduli under 2048 bits, EC keys on another curve or with a point off the
 * curve, and key pairs whose private half does not match the public half.
 *
 * <p>Instances are immutable and thread-safe. {@link #toString()} shows the kid and algorithm only.
 */
public final class JwtKey {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String kid;
    private final JwsAlgorithm algorithm;
    private final Key verificationKey;
    private final Key signingKey;

    private JwtKey(String kid, JwsAlgorithm algorithm, Key verificationKey, Key signingKey) {
        KeyChecks.checkKid(kid);
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(verificationKey, "verificationKey");
        KeyChecks.check(kid, algorithm, verificationKey, signingKey);
        this.kid = kid;
        this.algorithm = algorithm;
        this.verificationKey = verificationKey;
        this.signingKey = signingKey;
    }

    /**
     * Generates a new key for {@code algorithm} with a random kid: a 2048-bit RSA pair for RS and PS, a pair on the
     * algorithm's curve for ES, Ed25519 for EdDSA, and a secret of the hash length for HS. For development and
     * tests; production keys belong in a key store or a secret manager, loaded with {@link PemKeys},
     * {@link KeyStoreKeys} or {@link JwkSets}.
     *
     * @throws KeyException if the JDK cannot generate the key
     */
    public static JwtKey generate(JwsAlgorithm algorithm) {
        return generate(randomKid(), algorithm);
    }

    /**
     * Generates a new key for {@code algorithm} with the given kid. See {@link #generate(JwsAlgorithm)}.
     *
     * @throws KeyException if the JDK cannot generate the key
     * @throws IllegalArgumentException if the kid is empty, longer than 256 characters or has control characters
     */
    public static JwtKey generate(String kid, JwsAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        try {
            switch (algorithm.family()) {
                case HMAC: {
                    byte[] secret = new byte[algorithm.hashBits() / 8];
                    RANDOM.nextBytes(secret);
                    try {
                        return hmac(kid, algorithm, secret);
                    } finally {
                        Arrays.fill(secret, (byte) 0);
                    }
                }
                case RSA:
                case RSA_PSS: {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                    generator.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4), RANDOM);
                    return ofKeyPair(kid, algorithm, generator.generateKeyPair());
                }
                case ECDSA: {
                    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                    String curve = switch (algorithm) {
                        case ES256 -> "secp256r1";
                        case ES384 -> "secp384r1";
                        default -> "secp521r1";
                    };
                    generator.initialize(new ECGenParameterSpec(curve), RANDOM);
                    return ofKeyPair(kid, algorithm, generator.generateKeyPair());
                }
                default:
                    return ofKeyPair(kid, algorithm, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
            }
        } catch (GeneralSecurityException e) {
            throw new KeyException("cannot generate a " + algorithm + " key", e);
        }
    }

    /**
     * An HMAC key from a shared secret of at least the hash length (32, 48 or 64 bytes). The bytes are copied.
     *
     * @throws KeyException if the secret is too short or the algorithm is not HS256, HS384 or HS512
     */
    public static JwtKey hmac(String kid, JwsAlgorithm algorithm, byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (algorithm.family() != JwsAlgorithm.Family.HMAC) {
            throw new KeyException("key '" + kid + "': a shared secret needs HS256, HS384 or HS512, not " + algorithm);
        }
        SecretKey key = new SecretKeySpec(secret, Jca.macName(algorithm));
        return new JwtKey(kid, algorithm, key, key);
    }

    /**
     * A signing key from a key pair.
     *
     * @throws KeyException if the pair is weak, does not fit {@code algorithm}, or its halves do not match
     */
    public static JwtKey ofKeyPair(String kid, JwsAlgorithm algorithm, KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        return new JwtKey(kid, algorithm, Objects.requireNonNull(keyPair.getPublic(), "public key"),
                Objects.requireNonNull(keyPair.getPrivate(), "private key"));
    }

    /**
     * A verification-only key.
     *
     * @throws KeyException if the key is weak or does not fit {@code algorithm}
     */
    public static JwtKey ofPublicKey(String kid, JwsAlgorithm algorithm, PublicKey publicKey) {
        return new JwtKey(kid, algorithm, Objects.requireNonNull(publicKey, "publicKey"), null);
    }

    /**
     * The ECDSA algorithm that matches an EC key's curve: ES256 for P-256, ES384 for P-384, ES512 for P-521.
     *
     * @throws KeyException if the key is on another curve
     */
    public static JwsAlgorithm ecAlgorithm(ECPublicKey key) {
        return Curves.algorithmFor(key.getParams());
    }

    static String randomKid() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return dev.jeton.internal.Base64Url.encode(bytes);
    }

    /** The key id, published as {@code kid}. */
    public String kid() {
        return kid;
    }

    /** The one algorithm this key signs or verifies with. */
    public JwsAlgorithm algorithm() {
        return algorithm;
    }

    /** The key that verifies: a {@link PublicKey}, or the {@link SecretKey} for HMAC. */
    public Key verificationKey() {
        return verificationKey;
    }

    /** The key that signs: a {@link PrivateKey}, or the {@link SecretKey} for HMAC; empty for a public key. */
    public Optional<Key> signingKey() {
        return Optional.ofNullable(signingKey);
    }

    /** Whether this key can sign. */
    public boolean canSign() {
        return signingKey != null;
    }

    /** Whether this key may appear in a published JWK set: true for public keys, false for HMAC secrets. */
    public boolean isPublishable() {
        return algorithm.isAsymmetric();
    }

    /** The length of a signature made with this key, in bytes. */
    public int signatureLength() {
        return Jca.signatureLength(algorithm, verificationKey);
    }

    @Override
    public String toString() {
        return "JwtKey[kid=" + kid + ", alg=" + algorithm + (canSign() ? ", signs" : ", verifies") + "]";
    }
}
