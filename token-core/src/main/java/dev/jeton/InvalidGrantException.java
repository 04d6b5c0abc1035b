package dev.jeton;

import java.util.Objects;

/**
 * A refresh token was refused (RFC 6749 §5.2 {@code invalid_grant}, HTTP 400). {@link #reason()} says why, for logs
 * and metrics; the client should be told no more than {@code invalid_grant}, so an attacker learns nothing about
 * which tokens exist.
 */
public final class InvalidGrantException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** Why a refresh token was refused. */
    public enum Reason {
        /** Not shaped like a refresh token of this service (prefix, length, alphabet, checksum); the store was not asked. */
        MALFORMED,
        /** Well-formed, but no such token is stored. */
        UNKNOWN,
        /** The token passed its idle expiry, or its session its absolute expiry. */
        EXPIRED,
        /** The token or its session was revoked. */
        REVOKED,
        /** An already rotated token was presented again: its session is now revoked. */
        REUSED,
        /** The token was issued to another client; it was not consumed. */
        CLIENT_MISMATCH
    }

    private final Reason reason;

    /**
     * @param reason why the token was refused
     * @param detail a message for logs; must not contain the token
     */
    public InvalidGrantException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + Objects.requireNonNull(detail, "detail"), null);
        this.reason = reason;
    }

    /** Why the token was refused. */
    public Reason reason() {
        return reason;
    }

    @Override
    public String oauthError() {
        return "invalid_grant";
    }

    @Override
    public int httpStatus() {
        return 400;
    }

    /** Always the same text, whatever the reason (RFC 6749 §10.x: do not help an attacker probe tokens). */
    @Override
    public String description() {
        return "The refresh token is invalid, expired or revoked";
    }
}
