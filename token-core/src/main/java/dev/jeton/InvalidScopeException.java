package dev.jeton;

/**
 * A requested scope is malformed (RFC 6749 §3.3), or a refresh asked for a scope the grant does not hold (RFC 6749
 * §6: the requested scope must not include any scope not originally granted). OAuth {@code invalid_scope}, HTTP 400.
 * The refresh token was not consumed.
 */
public final class InvalidScopeException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** @param detail which scope was refused; scope names are not secret */
    public InvalidScopeException(String detail) {
        super(detail, null);
    }

    @Override
    public String oauthError() {
        return "invalid_scope";
    }

    @Override
    public int httpStatus() {
        return 400;
    }

    @Override
    public String description() {
        return "The requested scope is invalid, malformed, or exceeds the scope granted";
    }
}
