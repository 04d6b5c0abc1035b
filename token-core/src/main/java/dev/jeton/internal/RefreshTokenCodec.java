package dev.jeton.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refresh tokens as strings: {@code <prefix>_<43 base62 characters of 32 random bytes><6 base62 characters of the
 * CRC32 of everything before>}. The checksum lets Jeton refuse a malformed or truncated token without asking the
 * store, and lets secret scanners recognise leaked ones; it is not a MAC. At rest only {@link #hash} is kept, and a
 * grace-window successor is {@link #seal sealed} under a key that only the holder of the predecessor token can
 * derive. Thread-safe. Not part of Jeton's API.
 */
public final class RefreshTokenCodec {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final BigInteger SIXTY_TWO = BigInteger.valueOf(62);
    private static final int SECRET_BYTES = 32;
    private static final int BODY_CHARS = 43;
    private static final int CHECKSUM_CHARS = 6;
    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final byte[] HKDF_INFO = "jeton successor".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HKDF_SALT = new byte[32];

    private final String prefix;
    private final int length;
    private final byte[] pepper;
    private final SecureRandom random;

    /**
     * @param prefix 2 to 16 lowercase letters and digits, starting with a letter
     * @param pepper a secret of at least 32 bytes to hash with HMAC-SHA-256, or {@code null} for plain SHA-256
     */
    public RefreshTokenCodec(String prefix, byte[] pepper, SecureRandom random) {
        checkPrefix(prefix);
        if (pepper != null && pepper.length < 32) {
            throw new IllegalArgumentException("the refresh-token pepper must be at least 32 bytes");
        }
        this.prefix = prefix + "_";
        this.length = this.prefix.length() + BODY_CHARS + CHECKSUM_CHARS;
        this.pepper = pepper == null ? null : pepper.clone();
        this.random = random;
    }

    public static void checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("[a-z][a-z0-9]{1,15}")) {
            throw new IllegalArgumentException("the refresh-token prefix must be 2 to 16 lowercase letters and "
                    + "digits starting with a letter, like 'jrt'");
        }
    }

    /** A new random token. */
    public String newToken() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        StringBuilder token = new StringBuilder(length).append(prefix);
        appendBase62(token, new BigInteger(1, secret), BODY_CHARS);
        Arrays.fill(secret, (byte) 0);
        appendBase62(token, BigInteger.valueOf(crc(token)), CHECKSUM_CHARS);
        return token.toString();
    }

    /** Whether {@code token} has this service's prefix, the exact length, the base62 alphabet and a valid checksum. */
    public boolean isWellFormed(String token) {
        if (token == null || token.length() != length || !token.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < length; i++) {
            if (BASE62.indexOf(token.charAt(i)) < 0) {
                return false;
            }
        }
        String body = token.substring(0, length - CHECKSUM_CHARS);
        StringBuilder expected = new StringBuilder(CHECKSUM_CHARS);
        appendBase62(expected, BigInteger.valueOf(crc(body)), CHECKSUM_CHARS);
        return token.endsWith(expected.toString());
    }

    /** The at-rest identity of a token: base64url of SHA-256, or of HMAC-SHA-256 under the pepper. */
    public String hash(String token) {
        byte[] input = token.getBytes(StandardCharsets.US_ASCII);
        try {
            if (pepper == null) {
                return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(input));
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(pepper, "HmacSHA256"));
            return Base64Url.encode(mac.doFinal(input));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /**
     * Seals {@code successor} for the grace window: AES-256-GCM under HKDF-SHA-256(presented token, info "jeton
     * successor"), with the presented token's hash as associated data. Returns base64url(IV ‖ ciphertext ‖ tag).
     */
    public String seal(String presented, String presentedHash, String successor) {
        byte[] iv = new byte[GCM_IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, presented, presentedHash, iv);
            byte[] sealed = cipher.doFinal(successor.getBytes(StandardCharsets.US_ASCII));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return Base64Url.encode(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * Opens a sealed successor with the presented token.
     *
     * @throws IllegalArgumentException if it does not open (wrong token, tampered data)
     */
    public String open(String presented, String presentedHash, String sealed) {
        byte[] in = Base64Url.decode(sealed);
        if (in.length <= GCM_IV_BYTES) {
            throw new IllegalArgumentException("sealed successor too short");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, presented, presentedHash,
                    Arrays.copyOfRange(in, 0, GCM_IV_BYTES));
            return new String(cipher.doFinal(in, GCM_IV_BYTES, in.length - GCM_IV_BYTES), StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("sealed successor does not open with this token");
        }
    }

    private static Cipher cipher(int mode, String presented, String presentedHash, byte[] iv)
            throws GeneralSecurityException {
        byte[] key = hkdf(presented.getBytes(StandardCharsets.US_ASCII));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BITS, iv));
            cipher.updateAAD(presentedHash.getBytes(StandardCharsets.US_ASCII));
            return cipher;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** HKDF-SHA-256 (RFC 5869) with a zero salt, one block of output. */
    private static byte[] hkdf(byte[] ikm) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HKDF_SALT, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        mac.update(HKDF_INFO);
        mac.update((byte) 1);
        byte[] okm = mac.doFinal();
        Arrays.fill(prk, (byte) 0);
        return okm;
    }

    private static long crc(CharSequence text) {
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.US_ASCII));
        return crc.getValue();
    }

    private static void appendBase62(StringBuilder out, BigInteger value, int width) {
        char[] digits = new char[width];
        Arrays.fill(digits, '0');
        BigInteger rest = value;
        for (int i = width - 1; i >= 0 && rest.signum() > 0; i--) {
            BigInteger[] qr = rest.divideAndRemainder(SIXTY_TWO);
            digits[i] = BASE62.charAt(qr[1].intValue());
            rest = qr[0];
        }
        out.append(digits);
    }
}
