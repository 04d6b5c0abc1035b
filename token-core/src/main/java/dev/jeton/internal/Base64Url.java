package dev.jeton.internal;

import java.util.Base64;

/**
 * Strict base64url (RFC 7515 §2, RFC 4648 §5): no padding, no characters outside the URL-safe alphabet, and
 * canonical encodings only (the unused low bits of the last character must be zero), so a token has exactly one
 * valid spelling. Not part of Jeton's API.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /**
     * Returns whether {@code s[from, to)} is a canonical, unpadded base64url string. The empty range is canonical.
     */
    public static boolean isCanonical(CharSequence s, int from, int to) {
        int length = to - from;
        if (length % 4 == 1) {
            return false;
        }
        int last = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 128 || (last = VALUES[c]) < 0) {
                return false;
            }
        }
        return switch (length % 4) {
            case 2 -> (last & 0x0F) == 0;
            case 3 -> (last & 0x03) == 0;
            default -> true;
        };
    }

    /** Decodes a range already checked with {@link #isCanonical}. */
    public static byte[] decodeChecked(String s, int from, int to) {
        byte[] ascii = new byte[to - from];
        for (int i = from; i < to; i++) {
            ascii[i - from] = (byte) s.charAt(i);
        }
        return DECODER.decode(ascii);
    }

    /** Decodes a whole string, or throws {@link IllegalArgumentException} if it is not canonical base64url. */
    public static byte[] decode(String s) {
        if (!isCanonical(s, 0, s.length())) {
            throw new IllegalArgumentException("not canonical unpadded base64url");
        }
        return decodeChecked(s, 0, s.length());
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    public static byte[] encodeToAscii(byte[] bytes) {
        return ENCODER.encode(bytes);
    }
}
