package dev.jeton.internal;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHAKEDigest;

/** Digests of tokens: cache keys that do not hold the token, and OIDC's {@code at_hash}. Not part of Jeton's API. */
public final class TokenHashes {

    private static final int ED25519_SIGNATURE = 64;

    private TokenHashes() {
    }

    /** Base64url of SHA-256 over the token's characters: a cache key from which the token cannot be read back. */
    public static String sha256(String token) {
        return Base64Url.encode(digest("SHA-256", token.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * OIDC Core §3.1.3.6 {@code at_hash}: base64url of the left-most half of the hash of the access token's ASCII
     * octets, with the hash of the ID token's {@code alg}: SHA-256, -384 or -512 by the algorithm's size; for EdDSA,
     * the hash of the key's curve (RFC 8032): SHA-512 for Ed25519, SHAKE256 with 114 octets of output for Ed448, as
     * the OpenID Connect working group settled it.
     *
     * @param key the key that signs, or verified, the ID token
     */
    public static String atHash(JwtKey key, String accessToken) {
        byte[] octets = accessToken.getBytes(StandardCharsets.US_ASCII);
        byte[] hash;
        if (key.algorithm() == JwsAlgorithm.EdDSA) {
            if (key.signatureLength() == ED25519_SIGNATURE) {
                hash = digest("SHA-512", octets);
            } else {
                SHAKEDigest shake = new SHAKEDigest(256);
                shake.update(octets, 0, octets.length);
                hash = new byte[114];
                shake.doFinal(hash, 0, hash.length);
            }
        } else {
            hash = digest("SHA-" + key.algorithm().hashBits(), octets);
        }
        return Base64Url.encode(Arrays.copyOf(hash, hash.length / 2));
    }

    private static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
