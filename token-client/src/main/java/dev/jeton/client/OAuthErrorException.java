package dev.jeton.client;

import java.util.Optional;

/**
 * The authorization server answered with an RFC 6749 §5.2 error response. The codes a client acts on differently
 * have their own subtypes: {@link InvalidGrantException} (sign in again), {@link InvalidClientException} (the
 * client's credentials are wrong) and {@link InvalidScopeException}; the others arrive as this type with
 * {@link #error()}.
 *
 * <p>Immutable; safe to share between threads.
 */
public class OAuthErrorException extends TokenClientException {

    private static final long serialVersionUID = 1L;

    private final String errorCode;
    private final String description;
    private final String errorUri;
    private final int httpStatus;

    OAuthErrorException(String errorCode, String description, String errorUri, int httpStatus) {
        super(message(errorCode, description, httpStatus), null);
        this.errorCode = errorCode;
        this.description = description;
        this.errorUri = errorUri;
        this.httpStatus = httpStatus;
    }

    static OAuthErrorException of(String errorCode, String description, String errorUri, int httpStatus) {
        return switch (OAuthError.of(errorCode)) {
            case INVALID_GRANT -> new InvalidGrantException(errorCode, description, errorUri, httpStatus);
            case INVALID_CLIENT -> new InvalidClientException(errorCode, description, errorUri, httpStatus);
            case INVALID_SCOPE -> new InvalidScopeException(errorCode, description, errorUri, httpStatus);
            default -> new OAuthErrorException(errorCode, description, errorUri, httpStatus);
        };
    }

    private static String message(String errorCode, String description, int httpStatus) {
        return "the authorization server answered HTTP " + httpStatus + " " + errorCode
                + (description == null ? "" : ": " + description);
    }

    /**
     * The error as a constant.
     *
     * @return the registered error, or {@link OAuthError#OTHER} for an extension code
     */
    public OAuthError error() {
        return OAuthError.of(errorCode);
    }

    /**
     * The {@code error} member exactly as the server sent it.
     *
     * @return the error code
     */
    public String errorCode() {
        return errorCode;
    }

    /**
     * The {@code error_description} member, with control characters removed and cut to 200 characters.
     *
     * @return the description, if the server sent one
     */
    public Optional<String> description() {
        return Optional.ofNullable(description);
    }

    /**
     * The {@code error_uri} member.
     *
     * @return the URI, if the server sent one
     */
    public Optional<String> errorUri() {
        return Optional.ofNullable(errorUri);
    }

    /**
     * The HTTP status of the response (400 or 401 per RFC 6749 §5.2; some servers use others).
     *
     * @return the status code
     */
    public int httpStatus() {
        return httpStatus;
    }
}
