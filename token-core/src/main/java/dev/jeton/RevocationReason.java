package dev.jeton;

/** Why a session (a login grant, with its refresh token) was revoked. */
public enum RevocationReason {
    /** The client or user revoked a token (RFC 7009), e.g. on logout. */
    LOGOUT,
    /** The user logged out everywhere: every session of the subject. */
    LOGOUT_ALL,
    /** The user or an administrator revoked one session from a session list. */
    SESSION_REVOKED,
    /** A rotated refresh token was presented again: it may have been stolen. */
    REUSE_DETECTED
}
