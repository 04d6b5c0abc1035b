package dev.jeton.client;

/**
 * Test access to {@link AuthorizedHttpClient.Builder}'s package-private switch, for tests in other packages that
 * show what a client without single-flight does to a server with strict rotation.
 */
public final class NaiveRefresh {

    private NaiveRefresh() {
    }

    /** Each caller that needs a refresh sends its own, with whatever refresh token it read, as naive clients do. */
    public static AuthorizedHttpClient.Builder withoutSingleFlight(AuthorizedHttpClient.Builder builder) {
        return builder.singleFlight(false);
    }
}
