package dev.jeton.key;

import java.util.Optional;

/**
 * The JWS algorithms Jeton signs and verifies with (RFC 7518 §3, RFC 8037). Each {@link JwtKey} is bound to exactly
 * one of them. {@code none} is not here and never will be.
 */
public enum JwsAlgorithm {
    /** HMAC with SHA-256; secret of at least 32 bytes. */
    HS256(Family.HMAC, 256),
    /** HMAC with SHA-384; secret of at least 48 bytes. */
    HS384(Family.HMAC, 384),
    /** HMAC with SHA-512; secret of at least 64 bytes. */
    HS512(Family.HMAC, 512),
    /** RSASSA-PKCS1-v1_5 with SHA-256; modulus of at least 2048 bits. */
    RS256(Family.RSA, 256),
    /** RSASSA-PKCS1-v1_5 with SHA-384. */
    RS384(Family.RSA, 384),
    /** RSASSA-PKCS1-v1_5 with SHA-512. */
    RS512(Family.RSA, 512),
    /** RSASSA-PSS with SHA-256 and MGF1 with SHA-256. */
    PS256(Family.RSA_PSS, 256),
    /** RSASSA-PSS with SHA-384 and MGF1 with SHA-384. */
    PS384(Family.RSA_PSS, 384),
    /** RSASSA-PSS with SHA-512 and MGF1 with SHA-512. */
    PS512(Family.RSA_PSS, 512),
    /** ECDSA on P-256 with SHA-256. */
    ES256(Family.ECDSA, 256),
    /** ECDSA on P-384 with SHA-384. */
    ES384(Family.ECDSA, 384),
    /** ECDSA on P-521 with SHA-512. */
    ES512(Family.ECDSA, 512),
    /** EdDSA on Ed25519 or Ed448, as the key says (RFC 8037). */
    EdDSA(Family.EDDSA, 0);

    /** The kind of key an algorithm takes. */
    public enum Family {
        /** A shared secret. */
        HMAC,
        /** An RSA key pair used with PKCS#1 v1.5 signatures. */
        RSA,
        /** An RSA key pair used with PSS signatures. */
        RSA_PSS,
        /** An EC key pair on the algorithm's NIST curve. */
        ECDSA,
        /** An Ed25519 or Ed448 key pair. */
        EDDSA
    }

    private final Family family;
    private final int hashBits;

    JwsAlgorithm(Family family, int hashBits) {
        this.family = family;
        this.hashBits = hashBits;
    }

    /** The {@code alg} header value. */
    public String id() {
        return name();
    }

    /** The kind of key this algorithm takes. */
    public Family family() {
        return family;
    }

    /** The digest size in bits (256, 384, 512), or 0 for EdDSA whose digest the curve fixes. */
    public int hashBits() {
        return hashBits;
    }

    /** Whether keys of this algorithm are asymmetric, so that their public half may be published. */
    public boolean isAsymmetric() {
        return family != Family.HMAC;
    }

    /** The algorithm whose {@code alg} value is exactly {@code id} (case-sensitive, RFC 7515 §4.1.1). */
    public static Optional<JwsAlgorithm> fromId(String id) {
        if (id == null) {
            return Optional.empty();
        }
        for (JwsAlgorithm a : values()) {
            if (a.name().equals(id)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
