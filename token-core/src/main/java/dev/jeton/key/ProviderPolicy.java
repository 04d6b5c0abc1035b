package dev.jeton.key;

/**
 * Which JCA providers Jeton signs and verifies with. Both choices give the same results, except one JDK 17 defect
 * below; they differ in speed.
 *
 * <p>{@link #FASTEST} (the default) uses Bouncy Castle for ECDSA and EdDSA, which verifies ES256 and Ed25519 about
 * ten times faster than the JDK 17 provider, and the JDK for RSA and HMAC, where the two are equal. Bouncy Castle
 * is passed explicitly per operation and never registered with {@link java.security.Security}, so the host
 * application's provider list is left alone.
 *
 * <p>Private-key operations: with {@code FASTEST}, ECDSA and EdDSA tokens are signed by Bouncy Castle. Its P-256,
 * P-384 and P-521 arithmetic uses fixed-width field implementations, the base-point multiplication is a fixed-point
 * comb with constant-time table lookups, the nonce inverse uses a constant-time modular inversion, and nonces come
 * from a {@link java.security.SecureRandom}; its Ed25519 and Ed448 code (RFC 8032) is written to be constant-time
 * with deterministic nonces. RSA and HMAC signing stays on the JDK (blinded RSA). Choose {@link #JDK_ONLY} if a
 * policy requires one provider (for example a FIPS-validated JDK configuration).
 *
 * <p>Known difference: JDK 17's ECDSA provider refuses valid signatures whose point {@code R} has an x-coordinate of
 * at least the group order (Wycheproof "k*G has a large x-coordinate"); an honest signer makes one with probability
 * about 2<sup>-128</sup>, so this is a theoretical false refusal, never an acceptance. Bouncy Castle and JDK 25 verify
 * them.
 */
public enum ProviderPolicy {
    /** Bouncy Castle for ECDSA and EdDSA, the JDK for RSA and HMAC. */
    FASTEST,
    /** The JDK's default providers for everything. */
    JDK_ONLY
}
