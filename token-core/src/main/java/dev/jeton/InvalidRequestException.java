package dev.jeton;

/**
 * A request carried a parameter that is missing, malformed or not acceptable as text (RFC 6749 §5.2
 * {@code invalid_request}, HTTP 400): for example an empty client id or a subject with control characters. Nothing
 * was read from or written to the store.
 */
public final class InvalidRequestException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** @param detail which parameter was refused and why; must not contain a token or a secret */
    public InvalidRequestException(String detail) {
        super(detail, null);
    }

    @Override
    public String oauthError() {
        return "invalid_request";
    }

    @Override
    public int httpStatus() {
        return 400;
    }

    @Override
    public String description() {
        return "The request is missing a parameter or has a malformed one";
    }
}
