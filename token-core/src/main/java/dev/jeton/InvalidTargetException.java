package dev.jeton;

/**
 * A request named a resource (RFC 8707 {@code resource}, the audience of the access token) that is malformed, that
 * this service does not issue for, or, on a refresh, that the login was not granted. OAuth {@code invalid_target}
 * (RFC 8707 §2), HTTP 400. Nothing was stored, and a refresh token was not consumed.
 */
public final class InvalidTargetException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** @param detail which resource was refused; resource names are not secret */
    public InvalidTargetException(String detail) {
        super(detail, null);
    }

    @Override
    public String oauthError() {
        return "invalid_target";
    }

    @Override
    public int httpStatus() {
        return 400;
    }

    @Override
    public String description() {
        return "The requested resource is invalid, unknown, or not granted";
    }
}
