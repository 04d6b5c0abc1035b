package dev.jeton;

/** What a refresh does with the refresh token presented. */
public enum RefreshRotation {
    /**
     * The default: each refresh returns a new refresh token and retires the one presented; presenting a retired token
     * again revokes the whole session (reuse detection, OAuth 2.0 Security BCP §4.14).
     */
    ROTATE,
    /**
     * The same refresh token is returned until it expires, its idle expiry sliding with each use up to the session's
     * absolute expiry (as some providers do). Reuse detection does not apply: a stolen token works until it expires
     * or is revoked. Choose it only for clients that cannot store a new token on each refresh.
     */
    REUSE
}
