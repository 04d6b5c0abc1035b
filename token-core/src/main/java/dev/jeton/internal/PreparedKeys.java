package dev.jeton.internal;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.ProviderPolicy;
import java.security.Key;
import java.security.Provider;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Keys converted once into the class of the provider that uses them, so that no signature converts its key again.
 * Bounded: a key set that churns (a remote JWKS) cannot grow it without limit. Not part of Jeton's API.
 */
public final class PreparedKeys {

    private static final int MAX_KEYS = 64;

    /**
     * A key ready for {@link Jca}: the provider to use (null for the JDK's default), the key in its class, the JCA
     * algorithm name and signature length resolved once, and for EdDSA on Bouncy Castle the decoded public point, so
     * verification skips the JCA layer.
     */
    public record Prepared(JwtKey source, Provider provider, Key verificationKey, Key signingKey,
                           String signatureName, int signatureLength, AsymmetricKeyParameter edDsaPublic) {

        /** Verifies a JWS signature with this key. */
        public boolean verify(byte[] input, byte[] signature) {
            if (edDsaPublic != null) {
                return Jca.verifyEdDsa(edDsaPublic, input, signature);
            }
            return Jca.verify(source.algorithm(), signatureName, signatureLength, verificationKey, provider, input,
                    signature);
        }

        /** Signs with this key; it must be able to sign. */
        public byte[] sign(byte[] input) {
            return Jca.sign(source.algorithm(), signatureName, signingKey, provider, input);
        }
    }

    private final ProviderPolicy policy;
    private final BoundedCache<JwtKey, Prepared> prepared = new BoundedCache<>(MAX_KEYS);

    public PreparedKeys(ProviderPolicy policy) {
        this.policy = policy;
    }

    public Prepared get(JwtKey key) {
        return prepared.computeIfAbsent(key, this::prepare);
    }

    private Prepared prepare(JwtKey key) {
        Provider provider = Jca.provider(key.algorithm(), policy);
        Key verification = Jca.translate(key.verificationKey(), provider);
        Key signing = key.signingKey().map(k -> Jca.translate(k, provider)).orElse(null);
        AsymmetricKeyParameter edDsaPublic = null;
        if (provider != null && key.algorithm() == JwsAlgorithm.EdDSA) {
            edDsaPublic = Jca.edDsaPublicParameters(key.verificationKey());
        }
        return new Prepared(key, provider, verification, signing,
                Jca.signatureName(key.algorithm(), key.verificationKey(), provider),
                Jca.signatureLength(key.algorithm(), key.verificationKey()), edDsaPublic);
    }
}
