package dev.jeton.key;

import dev.jeton.KeyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Where Jeton gets its keys: the one key that signs new tokens, and every key that may verify a token, by
 * {@code kid}. Implementations must be thread-safe, and {@link #verificationKey(String)} must be cheap, as it runs on
 * every validation; a provider that fetches keys remotely caches them.
 *
 * <p>A {@code kid} from a token is only ever used as a lookup key in the provider's own set, never as a file name,
 * URL or query.
 *
 * <p>Sources shipped with Jeton: {@link #of(JwtKey, JwtKey...)} for fixed keys, {@link RotatingKeyProvider} for
 * planned rotation, {@link RemoteJwksKeyProvider} for resource servers, with keys from {@link JwtKey#generate},
 * {@link JwtKey#hmac}, {@link PemKeys}, {@link KeyStoreKeys} and {@link JwkSets}.
 */
public interface KeyProvider {

    /**
     * The key that signs new tokens now.
     *
     * @throws KeyException if this provider has no signing key (for example a resource server's JWKS)
     */
    JwtKey signingKey();

    /**
     * The key with this {@code kid} that may verify a token, if there is one.
     *
     * @throws KeyException if the key set cannot be obtained at all (a remote JWKS that never answered)
     */
    Optional<JwtKey> verificationKey(String kid);

    /** Every key that may verify a token now, signing key included. */
    List<JwtKey> verificationKeys();

    /**
     * The public JWK set (RFC 7517 §5) of the publishable keys among {@link #verificationKeys()}: public parts only,
     * each with {@code kid}, {@code alg} and {@code use: "sig"}. HMAC secrets are never included.
     */
    default String jwksJson() {
        return JwkSets.toPublicJson(verificationKeys());
    }

    /**
     * A fixed provider: {@code signingKey} signs, and it and {@code otherKeys} verify.
     *
     * @throws KeyException if {@code signingKey} cannot sign
     * @throws IllegalArgumentException if two keys share a kid
     */
    static KeyProvider of(JwtKey signingKey, JwtKey... otherKeys) {
        return StaticKeyProvider.create(signingKey, Arrays.asList(otherKeys));
    }

    /**
     * A fixed provider that only verifies, for a resource server that holds public keys.
     *
     * @throws IllegalArgumentException if {@code keys} is empty or two keys share a kid
     */
    static KeyProvider verifyingOnly(Collection<JwtKey> keys) {
        return StaticKeyProvider.create(null, List.copyOf(keys));
    }
}
