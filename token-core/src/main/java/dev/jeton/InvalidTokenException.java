package dev.jeton;

import java.util.Objects;
import java.util.Optional;

/**
 * An access token was refused. {@link #reason()} says why; the OAuth error is {@code invalid_token} (RFC 6750
 * §3.1) and the HTTP status 401.
 */
public final class InvalidTokenException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** Why an access token was refused. */
    public enum Reason {
        /** Not a compact JWS, bad base64url or JSON, a JWE, or a required claim missing or of the wrong type. */
        MALFORMED("The access token is malformed"),
        /** The signature does not verify with the key named by {@code kid}. */
        BAD_SIGNATURE("The access token signature is invalid"),
        /** {@code exp} is at or before now (less the allowed clock skew). */
        EXPIRED("The access token expired"),
        /** {@code nbf} or {@code iat} is in the future (beyond the allowed clock skew). */
        NOT_YET_VALID("The access token is not valid yet"),
        /** {@code iss} is missing or not exactly the configured issuer. */
        WRONG_ISSUER("The access token was issued by another issuer"),
        /** {@code aud} is missing or does not contain the configured audience. */
        WRONG_AUDIENCE("The access token is not meant for this audience"),
        /** The {@code typ} header is missing or not {@code at+jwt} (RFC 9068). */
        WRONG_TYPE("The token is not an access token"),
        /** {@code kid} is missing or names no key of the key set. */
        UNKNOWN_KEY("The access token was signed with an unknown key"),
        /** {@code alg} is {@code none}, unknown, not allowed, or not the algorithm of the key named by {@code kid}. */
        ALGORITHM_NOT_ALLOWED("The access token algorithm is not allowed"),
        /**
         * The header asks for a feature Jeton never accepts: {@code zip}, {@code crit}, {@code b64}, a content type
         * ({@code cty}, nested JWT), or a key reference ({@code jku}, {@code jwk}, {@code x5u}, {@code x5c}).
         */
        UNSUPPORTED_HEADER("The access token uses an unsupported header"),
        /** The token, or its session, was revoked. */
        REVOKED("The access token was revoked"),
        /** The token is longer than the configured maximum; nothing of it was decoded. */
        TOO_LARGE("The access token is too large");

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
     * @param detail a message for logs; must not contain the token or anything taken from it
     */
    public InvalidTokenException(Reason reason, String detail) {
        this(reason, detail, null);
    }

    /**
     * @param reason why the token was refused
     * @param detail a message for logs; must not contain the token or anything taken from it
     * @param cause the underlying failure, whose message must not contain the token either
     */
    public InvalidTokenException(Reason reason, String detail, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + Objects.requireNonNull(detail, "detail"), cause);
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

    /** {@code Bearer error="invalid_token", error_description="…"}: fixed text, nothing from the request. */
    @Override
    public Optional<String> wwwAuthenticate() {
        return Optional.of("Bearer error=\"invalid_token\", error_description=\"" + reason.description() + "\"");
    }
}
