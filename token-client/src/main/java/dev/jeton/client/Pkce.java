package dev.jeton.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Proof Key for Code Exchange (RFC 7636) with the {@code S256} method: a fresh high-entropy {@code code_verifier}
 * and its {@code code_challenge}. Send {@link #challenge()} and {@link #method()} as {@code code_challenge} and
 * {@code code_challenge_method} in the authorization request, keep this object, and pass it to
 * {@link TokenEndpointClient#authorizationCode(String, java.net.URI, Pkce)}.
 *
 * <p>{@link #toString()} does not show the verifier. Immutable and thread-safe.
 */
public final class Pkce {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final String verifier;
    private final String challenge;

    private Pkce(String verifier) {
        this.verifier = verifier;
        this.challenge = challengeOf(verifier);
    }

    /**
     * A new verifier of 32 random bytes from {@link SecureRandom}: 43 base64url characters, 256 bits of entropy
     * (RFC 7636 §4.1, §7.1).
     *
     * @return the PKCE pair
     */
    public static Pkce generate() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return new Pkce(BASE64URL.encodeToString(random));
    }

    /**
     * A PKCE pair for an existing verifier, e.g. one kept across a browser redirect.
     *
     * @param verifier 43 to 128 characters of {@code [A-Za-z0-9-._~]} (RFC 7636 §4.1)
     * @return the PKCE pair
     * @throws IllegalArgumentException if the verifier has the wrong length or characters
     */
    public static Pkce ofVerifier(String verifier) {
        if (verifier == null || verifier.length() < 43 || verifier.length() > 128
                || !verifier.chars().allMatch(Pkce::unreserved)) {
            throw new IllegalArgumentException("a code_verifier is 43 to 128 characters of [A-Za-z0-9-._~]"
                    + " (RFC 7636 §4.1); use Pkce.generate()");
        }
        return new Pkce(verifier);
    }

    private static boolean unreserved(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static String challengeOf(String verifier) {
        try {
            return BASE64URL.encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * The {@code code_verifier}, sent only to the token endpoint.
     *
     * @return the verifier
     */
    public String verifier() {
        return verifier;
    }

    /**
     * The {@code code_challenge}: {@code BASE64URL(SHA-256(ASCII(code_verifier)))}.
     *
     * @return the challenge
     */
    public String challenge() {
        return challenge;
    }

    /**
     * The {@code code_challenge_method}.
     *
     * @return {@code S256}
     */
    public String method() {
        return "S256";
    }

    @Override
    public String toString() {
        return "Pkce[S256, challenge " + challenge + "]";
    }
}
