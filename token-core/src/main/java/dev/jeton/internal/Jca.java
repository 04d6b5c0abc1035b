package dev.jeton.internal;

import dev.jeton.KeyException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.ProviderPolicy;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.Ed448PublicKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.bouncycastle.math.ec.rfc8032.Ed448;

/** Raw JWS signing and verification over JCA. Not part of Jeton's API. */
public final class Jca {

    private static final byte[] ED25519_OID = {0x06, 0x03, 0x2B, 0x65, 0x70};
    private static final byte[] ED448_OID = {0x06, 0x03, 0x2B, 0x65, 0x71};

    private Jca() {
    }

    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** One Bouncy Castle provider instance for the whole library, never registered globally. */
    public static Provider bouncyCastle() {
        return BouncyCastle.PROVIDER;
    }

    /** The provider to use for {@code alg} under {@code policy}, or {@code null} for the JDK's default. */
    public static Provider provider(JwsAlgorithm alg, ProviderPolicy policy) {
        boolean ecOrEd = alg.family() == JwsAlgorithm.Family.ECDSA || alg.family() == JwsAlgorithm.Family.EDDSA;
        return ecOrEd && policy == ProviderPolicy.FASTEST ? bouncyCastle() : null;
    }

    /**
     * Converts a key to the provider's own class once, so that each signature does not convert it again. Returns
     * the key unchanged for the JDK provider or for secret keys.
     */
    public static Key translate(Key key, Provider provider) {
        if (provider == null || key instanceof SecretKey) {
            return key;
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(key.getAlgorithm(), provider);
            if (key instanceof PublicKey) {
                return factory.generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            }
            return factory.generatePrivate(new PKCS8EncodedKeySpec(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new KeyException("cannot convert a " + key.getAlgorithm() + " key for " + provider.getName(), e);
        }
    }

    /** Signs {@code input}; {@code key} is a {@link PrivateKey} or, for HMAC, a {@link SecretKey}. */
    public static byte[] sign(JwsAlgorithm alg, Key key, Provider provider, byte[] input) {
        return sign(alg, signatureName(alg, key, provider), key, provider, input);
    }

    /** Signs with a JCA algorithm name already resolved by {@link #signatureName} (null for HMAC). */
    public static byte[] sign(JwsAlgorithm alg, String name, Key key, Provider provider, byte[] input) {
        try {
            if (alg.family() == JwsAlgorithm.Family.HMAC) {
                Mac mac = Mac.getInstance(macName(alg));
                mac.init(key);
                return mac.doFinal(input);
            }
            Signature signature = signature(alg, name, provider);
            signature.initSign((PrivateKey) key);
            signature.update(input);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new KeyException("signing with " + alg + " failed", e);
        }
    }

    /**
     * Verifies a JWS signature. Signatures of the wrong length for the key are refused before any arithmetic, so
     * a DER-encoded or truncated ECDSA signature never reaches the provider.
     */
    public static boolean verify(JwsAlgorithm alg, Key key, Provider provider, byte[] input, byte[] sig) {
        return verify(alg, signatureName(alg, key, provider), signatureLength(alg, key), key, provider, input, sig);
    }

    /**
     * Verifies with a JCA algorithm name and signature length already resolved by {@link #signatureName} and
     * {@link #signatureLength}, so the hot path does not re-derive them from the key.
     */
    public static boolean verify(JwsAlgorithm alg, String name, int length, Key key, Provider provider, byte[] input,
                                 byte[] sig) {
        if (sig.length != length) {
            return false;
        }
        try {
            if (alg.family() == JwsAlgorithm.Family.HMAC) {
                Mac mac = Mac.getInstance(macName(alg));
                mac.init(key);
                return MessageDigest.isEqual(mac.doFinal(input), sig);
            }
            Signature signature = signature(alg, name, provider);
            signature.initVerify((PublicKey) key);
            signature.update(input);
            return signature.verify(sig);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new KeyException("verifying with " + alg + " failed", e);
        }
    }

    /**
     * Bouncy Castle's decoded EdDSA public key ({@code Ed25519PublicKeyParameters} or
     * {@code Ed448PublicKeyParameters}), which holds the decompressed public point.
     */
    public static AsymmetricKeyParameter edDsaPublicParameters(Key publicKey) {
        try {
            return PublicKeyFactory.createKey(publicKey.getEncoded());
        } catch (java.io.IOException | RuntimeException e) {
            throw new KeyException("cannot decode an EdDSA public key", e);
        }
    }

    /**
     * Verifies a pure EdDSA signature (RFC 8032, no context) with Bouncy Castle's lightweight API: the same
     * {@code verify} its JCA {@code Signature} ends in, without the provider lookup and message buffering per call.
     */
    public static boolean verifyEdDsa(AsymmetricKeyParameter key, byte[] input, byte[] sig) {
        if (key instanceof Ed25519PublicKeyParameters ed25519) {
            return sig.length == Ed25519.SIGNATURE_SIZE
                    && ed25519.verify(Ed25519.Algorithm.Ed25519, null, input, 0, input.length, sig, 0);
        }
        Ed448PublicKeyParameters ed448 = (Ed448PublicKeyParameters) key;
        return sig.length == Ed448.SIGNATURE_SIZE
                && ed448.verify(Ed448.Algorithm.Ed448, new byte[0], input, 0, input.length, sig, 0);
    }

    /**
     * The JCA {@link Signature} algorithm for {@code alg} with {@code key} on {@code provider} (P1363 encoding for
     * ECDSA, the key's curve for EdDSA), or {@code null} for HMAC.
     */
    public static String signatureName(JwsAlgorithm alg, Key key, Provider provider) {
        return switch (alg.family()) {
            case RSA -> "SHA" + alg.hashBits() + "withRSA";
            case RSA_PSS -> "RSASSA-PSS";
            case ECDSA -> provider != null
                    ? "SHA" + alg.hashBits() + "withPLAIN-ECDSA"
                    : "SHA" + alg.hashBits() + "withECDSAinP1363Format";
            case EDDSA -> edCurve(key);
            case HMAC -> null;
        };
    }

    /** The JCA {@link Mac} algorithm of an HMAC {@code alg}: {@code HmacSHA256}, {@code HmacSHA384}, {@code HmacSHA512}. */
    public static String macName(JwsAlgorithm alg) {
        if (alg.family() != JwsAlgorithm.Family.HMAC) {
            throw new IllegalArgumentException(alg + " is not an HMAC algorithm");
        }
        return "HmacSHA" + alg.hashBits();
    }

    private static Signature signature(JwsAlgorithm alg, String name, Provider provider)
            throws GeneralSecurityException {
        Signature signature = provider != null ? Signature.getInstance(name, provider) : Signature.getInstance(name);
        if (alg.family() == JwsAlgorithm.Family.RSA_PSS) {
            setPss(signature, alg.hashBits());
        }
        return signature;
    }

    private static void setPss(Signature signature, int bits) throws InvalidAlgorithmParameterException {
        MGF1ParameterSpec mgf = switch (bits) {
            case 256 -> MGF1ParameterSpec.SHA256;
            case 384 -> MGF1ParameterSpec.SHA384;
            default -> MGF1ParameterSpec.SHA512;
        };
        signature.setParameter(new PSSParameterSpec(mgf.getDigestAlgorithm(), "MGF1", mgf, bits / 8, 1));
    }

    /** The exact JWS signature length for {@code alg} with {@code key}. */
    public static int signatureLength(JwsAlgorithm alg, Key key) {
        return switch (alg.family()) {
            case HMAC -> alg.hashBits() / 8;
            case RSA, RSA_PSS -> (((RSAKey) key).getModulus().bitLength() + 7) / 8;
            case ECDSA -> 2 * ((((ECKey) key).getParams().getCurve().getField().getFieldSize() + 7) / 8);
            case EDDSA -> "Ed25519".equals(edCurve(key)) ? 64 : 114;
        };
    }

    /** {@code "Ed25519"} or {@code "Ed448"}, read from the key's encoded form so that any provider's key works. */
    public static String edCurve(Key key) {
        byte[] encoded = key.getEncoded();
        if (encoded != null) {
            if (contains(encoded, ED25519_OID)) {
                return "Ed25519";
            }
            if (contains(encoded, ED448_OID)) {
                return "Ed448";
            }
        }
        throw new KeyException("not an Ed25519 or Ed448 key (" + key.getAlgorithm() + ")");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        // The OID sits in the AlgorithmIdentifier near the start of SPKI and PKCS#8 encodings.
        int limit = Math.min(haystack.length - needle.length, 24);
        outer:
        for (int i = 0; i <= limit; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
