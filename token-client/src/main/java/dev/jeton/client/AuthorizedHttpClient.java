package dev.jeton.client;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends API requests for one signed-in session (RFC 6749 §7, RFC 6750 §2.1), keeping its access token fresh:
 *
 * <ul>
 *   <li>attaches {@code Authorization: Bearer} to every request (a request that already has an
 *       {@code Authorization} header is refused);</li>
 *   <li>refreshes <em>before</em> the access token expires, {@link Builder#refreshSkew(Duration)} ahead of its
 *       expiry; if that early refresh fails while the token is still valid, the token is used as it is;</li>
 *   <li>on a 401 carrying {@code WWW-Authenticate: Bearer error="invalid_token"}, refreshes and sends the request
 *       again, once; a second 401 is returned to the caller as it is. A request whose body cannot be replayed is
 *       not sent again: the caller gets a {@link NotReplayedException} instead (wrap a re-readable body with
 *       {@link #replayable(HttpRequest.BodyPublisher)});</li>
 *   <li><b>single-flight</b>: at most one refresh request is in flight per session. Callers that need a refresh
 *       while one is running wait for it and use its result; a caller whose token was already replaced by a
 *       finished refresh uses the new token and sends no refresh of its own. A server with strict refresh-token
 *       rotation and reuse detection therefore never sees the same refresh token twice from this client;</li>
 *   <li>on {@code invalid_grant} the session is over: the stored tokens are cleared, the
 *       {@link SessionListener} is told once, and every waiting and later call fails with
 *       {@link LoggedOutException} until {@link #signIn(TokenSet)};</li>
 *   <li>when the authorization server is down, the callers waiting on the failed refresh fail with
 *       {@link TokenEndpointUnavailableException}, the tokens are kept, and further refreshes are not attempted
 *       before a back-off (doubling from {@link Builder#refreshBackoff(Duration, Duration)}'s minimum to its
 *       maximum) has passed: no retry storm.</li>
 * </ul>
 *
 * <pre>{@code
 * AuthorizedHttpClient api = AuthorizedHttpClient.builder(endpoint)
 *     .storage(EncryptedFileTokenStorage.builder(file).passphrase(passphrase).build())
 *     .listener(reason -> showSignInScreen())
 *     .build();
 * api.signIn(endpoint.authorizationCode(code, redirectUri, pkce));
 * HttpResponse<String> me = api.send(HttpRequest.newBuilder(URI.create("https://api.example.com/me")).build(),
 *     HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>Thread-safe; build one per session and share it between all the threads that call the API for that session.
 * Tokens are never logged; log lines name an access token by a short SHA-256 prefix.
 */
public final class AuthorizedHttpClient {

    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedHttpClient.class);

    private final HttpClient http;
    private final TokenEndpointClient endpoint;
    private final Session session;
    private final Clock clock;
    private final Duration skew;

    private AuthorizedHttpClient(Builder builder) {
        this.endpoint = builder.endpoint;
        this.http = builder.http != null ? builder.http
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.session = new Session(builder.endpoint,
                builder.storage != null ? builder.storage : new InMemoryTokenStorage(),
                builder.listener != null ? builder.listener : reason -> { }, builder.clock, builder.minBackoff,
                builder.maxBackoff, builder.singleFlight);
        this.clock = builder.clock;
        this.skew = builder.skew;
    }

    /**
     * Starts a client whose session is refreshed through {@code endpoint}.
     *
     * @param endpoint the token endpoint client used for refreshes and, on {@link #logOut()}, revocation
     * @return a builder
     */
    public static Builder builder(TokenEndpointClient endpoint) {
        return new Builder(Objects.requireNonNull(endpoint, "endpoint"));
    }

    /**
     * Marks a body publisher as safe to subscribe to more than once, so that a request carrying it is sent again
     * after a refresh. Bodies from {@code BodyPublishers.ofString}, {@code ofByteArray} and {@code noBody}, and
     * requests without a body, are replayable without it; use this for e.g. {@code ofFile}.
     *
     * @param body a publisher that delivers the same bytes on every subscription
     * @return a publisher with the same content and length
     */
    public static HttpRequest.BodyPublisher replayable(HttpRequest.BodyPublisher body) {
        return new BearerRequests.ReplayableBody(Objects.requireNonNull(body, "body"));
    }

    /**
     * Starts a session with tokens just obtained (password, authorization code, client credentials grant), or
     * replaces the current one. Saves them to the storage first.
     *
     * @param tokens the tokens; their type must be {@code Bearer}
     * @throws IllegalArgumentException if the token type is not {@code Bearer}
     * @throws TokenStorageException if the storage cannot save them; the session is then unchanged
     */
    public void signIn(TokenSet tokens) {
        if (!tokens.isBearer()) {
            throw new IllegalArgumentException("token_type " + tokens.tokenType() + " is not supported: this client"
                    + " sends Bearer tokens (RFC 6750) only");
        }
        session.signIn(tokens);
    }

    /**
     * The session's current tokens, including the ID token if the server sent one (unvalidated).
     *
     * @return the tokens, or empty when logged out
     * @throws TokenStorageException if the storage cannot be read on first use
     */
    public Optional<TokenSet> tokens() {
        return Optional.ofNullable(session.current());
    }

    /**
     * Ends the session: revokes its refresh token at the server if the endpoint client has a revocation endpoint
     * (RFC 7009), clears the storage, and tells the listener ({@link LogoutReason#LOGGED_OUT}). A failed revocation
     * is logged and does not stop the local logout.
     *
     * @return true if the server confirmed the revocation; false if it was not attempted or failed
     * @throws InterruptedException if interrupted during the revocation; the session is then still ended
     */
    public boolean logOut() throws InterruptedException {
        TokenSet ending = session.current();
        if (ending == null) {
            return false;
        }
        boolean revoked = false;
        try {
            if (endpoint.canRevoke() && ending.refreshToken().isPresent()) {
                endpoint.revoke(ending.refreshToken().get(), TokenTypeHint.REFRESH_TOKEN);
                revoked = true;
            }
        } catch (TokenClientException e) {
            LOG.warn("Revoking the refresh token of session #{} failed; logging out locally: {}",
                    Fingerprint.of(ending.accessToken()), e.getMessage());
        } finally {
            session.end(ending, LogoutReason.LOGGED_OUT);
        }
        return revoked;
    }

    /**
     * Sends a request with the session's access token, refreshing as described on the class, and waits for the
     * response.
     *
     * @param request the request, without an {@code Authorization} header
     * @param handler the response body handler
     * @param <T> the body type
     * @return the response; a 401 only if the request was refused with a fresh token too, or without
     *         {@code error="invalid_token"}
     * @throws IOException if the API request failed (as {@link HttpClient#send} throws it)
     * @throws InterruptedException if interrupted while waiting
     * @throws LoggedOutException if the session is not signed in, or its refresh token was refused
     * @throws TokenEndpointUnavailableException if a needed refresh failed because the server is unreachable, or
     *         is backing off after such a failure
     * @throws NotReplayedException if the request was refused with {@code invalid_token} and its body cannot be
     *         replayed
     * @throws TokenStorageException if the storage cannot be read on first use
     * @throws IllegalArgumentException if the request already has an {@code Authorization} header
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<T>> response = sendAsync(request, handler);
        try {
            return response.get();
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw Futures.rethrow(e.getCause());
        }
    }

    /**
     * {@link #send} without blocking. The future completes with the response, or exceptionally with what
     * {@link #send} throws.
     *
     * @param request the request, without an {@code Authorization} header
     * @param handler the response body handler
     * @param <T> the body type
     * @return the future response
     * @throws IllegalArgumentException if the request already has an {@code Authorization} header
     */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        Objects.requireNonNull(handler, "handler");
        if (request.headers().firstValue("Authorization").isPresent()) {
            throw new IllegalArgumentException("the request already has an Authorization header; this client sets"
                    + " it from the session");
        }
        CompletableFuture<TokenSet> token;
        try {
            token = usableToken();
        } catch (TokenClientException e) {
            return CompletableFuture.failedFuture(e);
        }
        return token.thenCompose(tokens -> exchange(request, handler, tokens));
    }

    private CompletableFuture<TokenSet> usableToken() {
        TokenSet tokens = session.current();
        if (tokens == null) {
            throw session.loggedOut();
        }
        if (!tokens.expiresWithin(clock.instant(), skew)) {
            return CompletableFuture.completedFuture(tokens);
        }
        return session.refresh(tokens, RefreshTrigger.EXPIRING).exceptionallyCompose(error -> {
            Throwable cause = Futures.unwrap(error);
            if (!(cause instanceof LoggedOutException) && !tokens.expiresWithin(clock.instant(), Duration.ZERO)) {
                LOG.debug("Early refresh of #{} failed; its access token is still valid, using it",
                        Fingerprint.of(tokens.accessToken()));
                return CompletableFuture.completedFuture(tokens);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private <T> CompletableFuture<HttpResponse<T>> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            TokenSet tokens) {
        return http.sendAsync(BearerRequests.authorized(request, tokens), handler).thenCompose(response -> {
            if (response.statusCode() != 401
                    || !BearerChallenge.isInvalidToken(response.headers().allValues("WWW-Authenticate"))) {
                return CompletableFuture.completedFuture(response);
            }
            BearerRequests.discard(response);
            LOG.debug("{} {} refused access token #{} as invalid_token", request.method(), request.uri().getPath(),
                    Fingerprint.of(tokens.accessToken()));
            return session.refresh(tokens, RefreshTrigger.INVALID_TOKEN).thenCompose(fresh -> {
                if (!BearerRequests.replayable(request)) {
                    return CompletableFuture.failedFuture(new NotReplayedException(response));
                }
                // Exactly one retry: whatever the fresh token gets is the caller's answer.
                return http.sendAsync(BearerRequests.authorized(request, fresh), handler);
            });
        });
    }

    /** Builds an {@link AuthorizedHttpClient}. Each option may be set once and is checked when set. Not thread-safe. */
    public static final class Builder {
        private final TokenEndpointClient endpoint;
        private HttpClient http;
        private TokenStorage storage;
        private SessionListener listener;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;
        private Duration skew = Duration.ofSeconds(30);
        private boolean skewSet;
        private Duration minBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        private boolean backoffSet;
        private boolean singleFlight = true;

        private Builder(TokenEndpointClient endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * Sets the HTTP client for API requests; default a new one with a 10 s connect timeout. Set request
         * timeouts on the requests themselves.
         *
         * @param http the client
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder httpClient(HttpClient http) {
            TokenEndpointClient.Builder.once(this.http == null, "httpClient", this.http);
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /**
         * Sets where the tokens are kept; default {@link InMemoryTokenStorage}. Tokens already in it resume the
         * session on first use.
         *
         * @param storage the storage
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder storage(TokenStorage storage) {
            TokenEndpointClient.Builder.once(this.storage == null, "storage", this.storage);
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * Sets who is told when the session ends; default nobody.
         *
         * @param listener the listener
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder listener(SessionListener listener) {
            TokenEndpointClient.Builder.once(this.listener == null, "listener", this.listener);
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the clock that decides when an access token is about to expire; default the system UTC clock. Give
         * the {@link TokenEndpointClient} the same clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            TokenEndpointClient.Builder.once(!clockSet, "clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * Sets how long before its expiry an access token is renewed; default 30 seconds. It covers the request's
         * travel time and clock differences with the resource server.
         *
         * @param skew from zero to 5 minutes
         * @return this builder
         * @throws IllegalArgumentException if negative or longer than 5 minutes
         * @throws IllegalStateException if already set
         */
        public Builder refreshSkew(Duration skew) {
            TokenEndpointClient.Builder.once(!skewSet, "refreshSkew", this.skew);
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("refreshSkew must be from 0 to 5 minutes, was " + skew);
            }
            this.skew = skew;
            this.skewSet = true;
            return this;
        }

        /**
         * Sets the pause after a refresh fails for a reason other than {@code invalid_grant}: the first failure
         * pauses refreshing for {@code min}, each further one doubles the pause up to {@code max}, a success resets
         * it. Default 1 second to 1 minute.
         *
         * @param min the first pause, positive
         * @param max the longest pause, at least {@code min}, at most 1 hour
         * @return this builder
         * @throws IllegalArgumentException if out of those bounds
         * @throws IllegalStateException if already set
         */
        public Builder refreshBackoff(Duration min, Duration max) {
            TokenEndpointClient.Builder.once(!backoffSet, "refreshBackoff", minBackoff + ".." + maxBackoff);
            if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || max.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("refreshBackoff needs 0 < min <= max <= 1 hour, was " + min + ".."
                        + max);
            }
            this.minBackoff = min;
            this.maxBackoff = max;
            this.backoffSet = true;
            return this;
        }

        /** Tests only: turns single-flight off, to show what a naive client does to a rotating server. */
        Builder singleFlight(boolean singleFlight) {
            this.singleFlight = singleFlight;
            return this;
        }

        /**
         * Builds the client. Reads nothing from the storage yet.
         *
         * @return the client
         */
        public AuthorizedHttpClient build() {
            return new AuthorizedHttpClient(this);
        }
    }
}
