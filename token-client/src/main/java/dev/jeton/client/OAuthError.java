package dev.jeton.client;

import java.util.Locale;

/**
 * The error codes of RFC 6749 §5.2 and RFC 7009 §2.2.1 that a token or revocation endpoint answers with;
 * {@link #OTHER} for an extension code, which {@link OAuthErrorException#errorCode()} still carries verbatim.
 */
public enum OAuthError {
    /** {@code invalid_request}: a parameter is missing, repeated, or malformed. */
    INVALID_REQUEST,
    /** {@code invalid_client}: client authentication failed. */
    INVALID_CLIENT,
    /** {@code invalid_grant}: the grant (code, refresh token, credentials) is invalid, expired or revoked. */
    INVALID_GRANT,
    /** {@code unauthorized_client}: this client may not use this grant type. */
    UNAUTHORIZED_CLIENT,
    /** {@code unsupported_grant_type}: the server does not support this grant type. */
    UNSUPPORTED_GRANT_TYPE,
    /** {@code invalid_scope}: the scope is invalid, unknown, or wider than granted. */
    INVALID_SCOPE,
    /** {@code unsupported_token_type} (RFC 7009): the server cannot revoke this kind of token. */
    UNSUPPORTED_TOKEN_TYPE,
    /** Any other code. */
    OTHER;

    /**
     * The constant for a wire code.
     *
     * @param code the {@code error} member of the response
     * @return its constant, {@link #OTHER} if it is not one of the registered codes above
     */
    public static OAuthError of(String code) {
        for (OAuthError error : values()) {
            if (error != OTHER && error.name().toLowerCase(Locale.ROOT).equals(code)) {
                return error;
            }
        }
        return OTHER;
    }
}
