package dev.jeton.client;

/** Why a session ended; passed to {@link SessionListener#loggedOut(LogoutReason)}. */
public enum LogoutReason {
    /** The authorization server refused the refresh token with {@code invalid_grant}: expired, revoked or reused. */
    INVALID_GRANT,
    /** The access token expired or was refused and the session holds no refresh token to renew it. */
    NO_REFRESH_TOKEN,
    /** The application called {@link AuthorizedHttpClient#logOut()}. */
    LOGGED_OUT
}
