package dev.jeton.client;

/** What made an {@link AuthorizedHttpClient} refresh; passed to {@link SessionListener#refreshing(RefreshTrigger)}. */
public enum RefreshTrigger {
    /** The access token expires within the configured skew, so it was renewed before use. */
    EXPIRING,
    /** The resource server answered 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}. */
    INVALID_TOKEN
}
