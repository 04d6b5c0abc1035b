package dev.jeton.internal;

import dev.jeton.KeyException;
import dev.jeton.key.JwsAlgorithm;
import java.math.BigInteger;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.EllipticCurve;
import javax.crypto.SecretKey;

/**
 * Refuses weak or mismatched keys when they are loaded (RFC 7518 §3.2–§3.5, RFC 8725 §3.5): short HMAC secrets,
 * RSA moduli under 2048 bits, EC keys on the wrong curve or with a public point off the curve, and key pairs whose
 * halves do not belong together. Not part of Jeton's API.
 */
public final class KeyChecks {

    /** The smallest RSA modulus accepted. */
    public static final int MIN_RSA_BITS = 2048;
    private static final int MAX_KID_LENGTH = 256;

    private KeyChecks() {
    }

    public static void checkKid(String kid) {
        if (kid == null || kid.isEmpty() || kid.length() > MAX_KID_LENGTH) {
            throw new IllegalArgumentException("kid must be 1 to " + MAX_KID_LENGTH + " characters");
        }
        for (int i = 0; i < kid.length(); i++) {
            char c = kid.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new IllegalArgumentException("kid must not contain control characters");
            }
        }
    }

    /**
     * Checks that {@code verification} (public or secret) and, when present, {@code signing} (private or secret) are
     * strong enough for {@code alg} and belong together.
     */
    public static void check(String kid, JwsAlgorithm alg, Key verification, Key signing) {
        switch (alg.family()) {
            case HMAC -> checkHmac(kid, alg, verification, signing);
            case RSA, RSA_PSS -> checkRsa(kid, alg, verification, signing);
            case ECDSA -> checkEc(kid, alg, verification, signing);
            case EDDSA -> checkEd(kid, verification, signing);
        }
        if (signing != null && alg.isAsymmetric()) {
            checkPair(kid, alg, (PublicKey) verification, (PrivateKey) signing);
        }
    }

    private static void checkHmac(String kid, JwsAlgorithm alg, Key verification, Key signing) {
        if (!(verification instanceof SecretKey) || (signing != null && signing != verification)) {
            throw new KeyException("key '" + kid + "': " + alg + " needs one secret key");
        }
        byte[] secret = verification.getEncoded();
        if (secret == null) {
            throw new KeyException("key '" + kid + "': the secret key cannot be read (not extractable)");
        }
        int bytes = secret.length;
        java.util.Arrays.fill(secret, (byte) 0);
        if (bytes * 8 < alg.hashBits()) {
            throw new KeyException("key '" + kid + "': " + alg + " needs a secret of at least " + alg.hashBits() / 8
                    + " bytes (RFC 7518 §3.2), got " + bytes + "; generate one with SecureRandom");
        }
    }

    private static void checkRsa(String kid, JwsAlgorithm alg, Key verification, Key signing) {
        if (!(verification instanceof RSAPublicKey pub)) {
            throw new KeyException("key '" + kid + "': " + alg + " needs an RSA public key, got "
                    + describe(verification));
        }
        if (pub.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new KeyException("key '" + kid + "': RSA keys must have at least " + MIN_RSA_BITS
                    + " bits (RFC 7518 §3.3), got " + pub.getModulus().bitLength());
        }
        if (signing != null && !(signing instanceof RSAPrivateKey)) {
            throw new KeyException("key '" + kid + "': " + alg + " needs an RSA private key, got " + describe(signing));
        }
    }

    private static void checkEc(String kid, JwsAlgorithm alg, Key verification, Key signing) {
        if (!(verification instanceof ECPublicKey pub)) {
            throw new KeyException("key '" + kid + "': " + alg + " needs an EC public key, got "
                    + describe(verification));
        }
        ECParameterSpec expected = Curves.forAlgorithm(alg);
        if (!Curves.sameCurve(pub.getParams(), expected)) {
            throw new KeyException("key '" + kid + "': " + alg + " needs a key on " + Curves.name(alg));
        }
        if (!isOnCurve(pub.getW(), expected.getCurve())) {
            throw new KeyException("key '" + kid + "': the EC public point is not on " + Curves.name(alg));
        }
        if (signing != null && (!(signing instanceof ECPrivateKey priv)
                || !Curves.sameCurve(priv.getParams(), expected))) {
            throw new KeyException("key '" + kid + "': " + alg + " needs an EC private key on " + Curves.name(alg));
        }
    }

    private static void checkEd(String kid, Key verification, Key signing) {
        if (!(verification instanceof PublicKey)) {
            throw new KeyException("key '" + kid + "': EdDSA needs an Ed25519 or Ed448 public key, got "
                    + describe(verification));
        }
        String curve = Jca.edCurve(verification);
        if (signing != null && (!(signing instanceof PrivateKey) || !curve.equals(Jca.edCurve(signing)))) {
            throw new KeyException("key '" + kid + "': the EdDSA private key is not on " + curve);
        }
    }

    /** Whether {@code w} satisfies y² = x³ + ax + b over the curve's prime field, with coordinates reduced. */
    public static boolean isOnCurve(ECPoint w, EllipticCurve curve) {
        if (w == null || ECPoint.POINT_INFINITY.equals(w)) {
            return false;
        }
        ECField field = curve.getField();
        if (!(field instanceof ECFieldFp fp)) {
            return false;
        }
        BigInteger p = fp.getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    private static void checkPair(String kid, JwsAlgorithm alg, PublicKey pub, PrivateKey priv) {
        byte[] probe = "jeton key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        boolean matches;
        try {
            matches = Jca.verify(alg, pub, null, probe, Jca.sign(alg, priv, null, probe));
        } catch (KeyException e) {
            matches = false;
        }
        if (!matches) {
            throw new KeyException("key '" + kid + "': the private key does not belong to the public key");
        }
    }

    private static String describe(Key key) {
        return key == null ? "no key" : key.getAlgorithm() + " " + (key instanceof SecretKey ? "secret key"
                : key instanceof PublicKey ? "public key" : key instanceof PrivateKey ? "private key" : "key");
    }
}
