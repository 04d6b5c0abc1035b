package dev.jeton.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refresh tokens as strings: {@code <prefix>_<family reference: 22 base62><generation: 6 base62><secret: 43 base62>
 * <6 base62 characters of the CRC32 of everything before>}.
 *
 * <ul>
 *   <li>The <em>family reference</em> is 128 random bits drawn at login, the same in every token of the family and
 *       never published: the family's public id (the session id, {@code sid}) is derived from it one way
 *       ({@link #familyId}), so knowing a session id is not enough to name the family in a token.</li>
 *   <li>The <em>generation</em> counts rotations from 0 at login, so the store keeps one record per family and still
 *       recognises any earlier token of it as reuse.</li>
 *   <li>The <em>secret</em> is 256 random bits, fresh for every token.</li>
 * </ul>
 *
 * <p>The checksum lets Jeton refuse a malformed or truncated token without asking the store, and lets secret scanners
 * recognise leaked ones; it is not a MAC. At rest only {@link #hash} of the whole token is kept, and a grace-window
 * successor is {@link #seal sealed} under a key that only the holder of the predecessor token can derive.
 * Thread-safe. Not part of Jeton's API.
 */
public final class RefreshTokenCodec {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final int REFERENCE_BYTES = 16;
    private static final int REFERENCE_CHARS = 22;
    private static final int GENERATION_CHARS = 6;
    /** 62^6 - 1: a refresh every second for 1,800 years. */
    public static final long MAX_GENERATION = 56_800_235_583L;
    private static final int SECRET_BYTES = 32;
    private static final int SECRET_CHARS = 43;
    private static final int CHECKSUM_CHARS = 6;
    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final byte[] HKDF_INFO = "jeton successor".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HKDF_SALT = new byte[32];
    private static final byte[] FAMILY_ID_LABEL = "jeton session id\0".getBytes(StandardCharsets.US_ASCII);

    /** What a well-formed token names: its family (by reference and by public id) and its generation. */
    public record Parsed(String familyReference, String familyId, long generation) {
    }

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
        this.length = this.prefix.length() + REFERENCE_CHARS + GENERATION_CHARS + SECRET_CHARS + CHECKSUM_CHARS;
        this.pepper = pepper == null ? null : pepper.clone();
        this.random = random;
    }

    public static void checkPrefix(String prefix) {
        if (prefix == null || !prefix.matches("[a-z][a-z0-9]{1,15}")) {
            throw new IllegalArgumentException("the refresh-token prefix must be 2 to 16 lowercase letters and "
                    + "digits starting with a letter, like 'jrt'");
        }
    }

    /** A new random family reference, for a login. */
    public String newFamilyReference() {
        byte[] reference = new byte[REFERENCE_BYTES];
        random.nextBytes(reference);
        char[] out = new char[REFERENCE_CHARS];
        base62(toLimbs(reference), out, 0, REFERENCE_CHARS);
        return new String(out);
    }

    /**
     * The public id of the family a reference names: base64url of the first 128 bits of SHA-256 over a fixed label
     * and the reference. One way, so the id (published as {@code sid}) does not give the reference away.
     */
    public static String familyId(String familyReference) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(FAMILY_ID_LABEL);
            sha.update(familyReference.getBytes(StandardCharsets.US_ASCII));
            return Base64Url.encode(Arrays.copyOf(sha.digest(), 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** A new token of the family at {@code generation}, with a fresh secret. */
    public String newToken(String familyReference, long generation) {
        if (familyReference.length() != REFERENCE_CHARS || generation < 0 || generation > MAX_GENERATION) {
            throw new IllegalArgumentException("bad family reference or generation");
        }
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        char[] token = new char[length];
        int at = prefix.length();
        prefix.getChars(0, at, token, 0);
        familyReference.getChars(0, REFERENCE_CHARS, token, at);
        at += REFERENCE_CHARS;
        long g = generation;
        for (int i = at + GENERATION_CHARS - 1; i >= at; i--) {
            token[i] = BASE62.charAt((int) (g % 62));
            g /= 62;
        }
        at += GENERATION_CHARS;
        base62(toLimbs(secret), token, at, SECRET_CHARS);
        Arrays.fill(secret, (byte) 0);
        base62(new int[] {(int) crc(token, length - CHECKSUM_CHARS)}, token, length - CHECKSUM_CHARS,
                CHECKSUM_CHARS);
        return new String(token);
    }

    /** The family and generation a well-formed token names, or empty if it is not {@link #isWellFormed}. */
    public Optional<Parsed> parse(String token) {
        if (!isWellFormed(token)) {
            return Optional.empty();
        }
        int at = prefix.length();
        String reference = token.substring(at, at + REFERENCE_CHARS);
        at += REFERENCE_CHARS;
        long generation = 0;
        for (int i = at; i < at + GENERATION_CHARS; i++) {
            generation = generation * 62 + BASE62.indexOf(token.charAt(i));
        }
        return Optional.of(new Parsed(reference, familyId(reference), generation));
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
        char[] chars = token.toCharArray();
        char[] expected = new char[CHECKSUM_CHARS];
        base62(new int[] {(int) crc(chars, length - CHECKSUM_CHARS)}, expected, 0, CHECKSUM_CHARS);
        for (int i = 0; i < CHECKSUM_CHARS; i++) {
            if (chars[length - CHECKSUM_CHARS + i] != expected[i]) {
                return false;
            }
        }
        return true;
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

    /** CRC32 of the first {@code count} (ASCII) characters. */
    private static long crc(char[] text, int count) {
        byte[] ascii = new byte[count];
        for (int i = 0; i < count; i++) {
            ascii[i] = (byte) text[i];
        }
        CRC32 crc = new CRC32();
        crc.update(ascii);
        return crc.getValue();
    }

    /** Big-endian bytes as big-endian 32-bit limbs. */
    private static int[] toLimbs(byte[] bytes) {
        int[] limbs = new int[bytes.length / 4];
        for (int i = 0; i < limbs.length; i++) {
            limbs[i] = (bytes[4 * i] & 0xFF) << 24 | (bytes[4 * i + 1] & 0xFF) << 16
                    | (bytes[4 * i + 2] & 0xFF) << 8 | (bytes[4 * i + 3] & 0xFF);
        }
        return limbs;
    }

    /**
     * Writes the unsigned big-endian number in {@code limbs} as exactly {@code width} base62 digits, most significant
     * first, by repeated long division by 62 (destroys {@code limbs}). Allocation-free, unlike BigInteger.
     */
    private static void base62(int[] limbs, char[] out, int offset, int width) {
        for (int i = offset + width - 1; i >= offset; i--) {
            long remainder = 0;
            for (int j = 0; j < limbs.length; j++) {
                long current = (remainder << 32) | (limbs[j] & 0xFFFFFFFFL);
                limbs[j] = (int) (current / 62);
                remainder = current % 62;
            }
            out[i] = BASE62.charAt((int) remainder);
        }
    }
}
