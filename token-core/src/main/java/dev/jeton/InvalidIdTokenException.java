package dev.jeton;

import java.util.Objects;

/**
 * An ID token was refused by {@link IdTokenValidator}: the relying party must not treat the user as logged in.
 * {@link #reason()} says why. The OAuth error is {@code invalid_token}, the HTTP status 401.
 */
public final class InvalidIdTokenException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** Why an ID token was refused. */
    public enum Reason {
        /** Not a compact JWS, bad base64url or JSON, a JWE, or a required claim missing or of the wrong type. */
        MALFORMED("The ID token is malformed"),
        /** The signature does not verify with the key named by {@code kid}. */
        BAD_SIGNATURE("The ID token signature is invalid"),
        /** {@code exp} is at or before now (less the allowed clock skew). */
        EXPIRED("The ID token expired"),
        /** {@code iat} or {@code nbf} is in the future (beyond the allowed clock skew). */
        NOT_YET_VALID("The ID token is not valid yet"),
        /** {@code iss} is missing or not exactly the configured issuer. */
        WRONG_ISSUER("The ID token was issued by another issuer"),
        /** {@code aud} is missing or does not contain this client's id. */
        WRONG_AUDIENCE("The ID token is not meant for this client"),
        /** {@code azp} is not this client, or absent although the token has several audiences. */
        WRONG_AUTHORIZED_PARTY("The ID token was issued to another party"),
        /** The {@code typ} header is neither {@code JWT} nor absent: for example an {@code at+jwt} access token. */
        WRONG_TYPE("The token is not an ID token"),
        /** {@code kid} is missing or names no key of the key set. */
        UNKNOWN_KEY("The ID token was signed with an unknown key"),
        /** {@code alg} is {@code none}, unknown, not allowed, or not the algorithm of the key named by {@code kid}. */
        ALGORITHM_NOT_ALLOWED("The ID token algorithm is not allowed"),
        /** The header asks for a feature never accepted ({@code zip}, {@code crit}, {@code jku}, {@code x5u}, …). */
        UNSUPPORTED_HEADER("The ID token uses an unsupported header"),
        /** The {@code nonce} is missing, differs from the one sent, or is present where none was sent. */
        NONCE_MISMATCH("The ID token nonce does not match"),
        /** The {@code at_hash} does not match the access token it came with. */
        AT_HASH_MISMATCH("The ID token does not match its access token"),
        /** A refreshed ID token's {@code sub}, {@code aud}, {@code azp} or {@code auth_time} is not the login's. */
        NOT_SAME_LOGIN("The refreshed ID token does not belong to the same login"),
        /** The token is longer than the configured maximum; nothing of it was decoded. */
        TOO_LARGE("The ID token is too large");

        private final String description;

        Reason(String description) {
            this.description = description;
        }

        /** Fixed text for {@code error_description}. */
        public String description() {
            return description;
        }
    }

    private final Reason reason;

    /**
     * @param reason why the token was refused
     * @param detail a message for logs; must not contain the token or a nonce
     */
    public InvalidIdTokenException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + Objects.requireNonNull(detail, "detail"), null);
        this.reason = reason;
    }

    /** Why the token was refused. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String oauthError() {
        return "invalid_token";
    }

    @Override
    public int httpStatus() {
        return 401;
    }

    @Override
    public String description() {
        return reason.description();
    }
}
