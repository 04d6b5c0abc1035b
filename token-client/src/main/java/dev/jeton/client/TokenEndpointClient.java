package dev.jeton.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Talks to an OAuth 2.0 authorization server's token endpoint (RFC 6749 §3.2, §4–§6) and revocation endpoint
 * (RFC 7009): any server, not only Jeton's. Each call is one HTTP request, never retried here; the caller (or
 * {@link AuthorizedHttpClient}) decides what to do with a failure.
 *
 * <pre>{@code
 * TokenEndpointClient endpoint = TokenEndpointClient.builder(URI.create("https://auth.example.com/oauth/token"))
 *     .clientAuthentication(ClientAuthentication.basic("web", secret))
 *     .revocationEndpoint(URI.create("https://auth.example.com/oauth/revoke"))
 *     .build();
 * TokenSet tokens = endpoint.clientCredentials(Set.of("api:read"));
 * }</pre>
 *
 * <p>Failures are unchecked {@link TokenClientException}s: an RFC 6749 §5.2 error response becomes an
 * {@link OAuthErrorException} ({@link InvalidGrantException}, {@link InvalidClientException},
 * {@link InvalidScopeException} for the codes a client acts on); a connection failure, a timeout or a 5xx becomes a
 * {@link TokenEndpointUnavailableException}; anything else that is not a §5.1 response becomes an
 * {@link InvalidTokenResponseException}. Responses larger than {@link Builder#maxResponseBytes(int)} are refused
 * without being buffered. The synchronous methods throw {@link InterruptedException} if the waiting thread is
 * interrupted.
 *
 * <p>Immutable and thread-safe; build one per authorization server and share it.
 */
public final class TokenEndpointClient {

    private final URI tokenEndpoint;
    private final URI revocationEndpoint;
    private final ClientAuthentication authentication;
    private final FormPoster poster;
    private final Clock clock;

    private TokenEndpointClient(Builder builder) {
        this.tokenEndpoint = builder.tokenEndpoint;
        this.revocationEndpoint = builder.revocationEndpoint;
        this.authentication = builder.authentication;
        this.clock = builder.clock;
        HttpClient http = builder.http != null ? builder.http
                : HttpClient.newBuilder().connectTimeout(builder.timeout).followRedirects(HttpClient.Redirect.NEVER)
                        .build();
        this.poster = new FormPoster(http, builder.authentication, builder.timeout, builder.maxResponseBytes);
    }

    /**
     * Starts a client for the given token endpoint.
     *
     * @param tokenEndpoint the token endpoint; {@code https}, or {@code http} to a loopback address for tests
     * @return a builder
     * @throws IllegalArgumentException if the URI is not absolute https (or http to loopback)
     */
    public static Builder builder(URI tokenEndpoint) {
        return new Builder(checkEndpoint(tokenEndpoint, "tokenEndpoint"));
    }

    /**
     * The client authentication this client uses.
     *
     * @return the authentication
     */
    public ClientAuthentication clientAuthentication() {
        return authentication;
    }

    /**
     * The client credentials grant (RFC 6749 §4.4): tokens for the client itself. Needs a confidential client.
     *
     * @param scopes the requested scopes; empty to let the server choose
     * @return the tokens
     * @throws OAuthErrorException if the server refused the request
     * @throws TokenEndpointUnavailableException if the server could not be reached or failed
     * @throws InvalidTokenResponseException if the response is not a token response
     * @throws InterruptedException if interrupted while waiting
     */
    public TokenSet clientCredentials(Collection<String> scopes) throws InterruptedException {
        Map<String, String> form = FormPoster.grantForm("client_credentials");
        FormPoster.putScope(form, scopes);
        return Futures.await(grantAsync(form, scopes));
    }

    /**
     * The resource owner password credentials grant (RFC 6749 §4.3).
     *
     * @param username the user's name
     * @param password the user's password; not kept
     * @param scopes the requested scopes; empty to let the server choose
     * @return the tokens
     * @throws OAuthErrorException if the server refused the request ({@link InvalidGrantException} for wrong
     *         credentials)
     * @throws TokenEndpointUnavailableException if the server could not be reached or failed
     * @throws InvalidTokenResponseException if the response is not a token response
     * @throws InterruptedException if interrupted while waiting
     * @deprecated Legacy: the OAuth 2.0 Security BCP (RFC 9700 §2.4) says this grant MUST NOT be used, because it
     *             hands the user's password to the client. Use the authorization code grant with PKCE
     *             ({@link #authorizationCode(String, URI, Pkce)}); this method exists for servers that still
     *             require it and for demos.
     */
    @Deprecated(since = "0.1.0")
    public TokenSet password(String username, String password, Collection<String> scopes)
            throws InterruptedException {
        Map<String, String> form = FormPoster.grantForm("password");
        form.put("username", Objects.requireNonNull(username, "username"));
        form.put("password", Objects.requireNonNull(password, "password"));
        FormPoster.putScope(form, scopes);
        return Futures.await(grantAsync(form, scopes));
    }

    /**
     * The authorization code grant (RFC 6749 §4.1.3) with PKCE (RFC 7636 §4.5): exchanges the code the
     * authorization endpoint redirected back with.
     *
     * @param code the {@code code} parameter of the redirect
     * @param redirectUri the {@code redirect_uri} sent in the authorization request
     * @param pkce the PKCE pair whose challenge was sent in the authorization request
     * @return the tokens
     * @throws OAuthErrorException if the server refused the request ({@link InvalidGrantException} for a used,
     *         expired or mismatched code or verifier)
     * @throws TokenEndpointUnavailableException if the server could not be reached or failed
     * @throws InvalidTokenResponseException if the response is not a token response
     * @throws InterruptedException if interrupted while waiting
     */
    public TokenSet authorizationCode(String code, URI redirectUri, Pkce pkce) throws InterruptedException {
        Map<String, String> form = FormPoster.grantForm("authorization_code");
        form.put("code", Objects.requireNonNull(code, "code"));
        form.put("redirect_uri", Objects.requireNonNull(redirectUri, "redirectUri").toString());
        form.put("code_verifier", Objects.requireNonNull(pkce, "pkce").verifier());
        return Futures.await(grantAsync(form, Set.of()));
    }

    /**
     * The refresh token grant (RFC 6749 §6), asking for the scopes of the original grant.
     *
     * @param refreshToken the refresh token
     * @return the new tokens; a response without a refresh token keeps none here (an {@link AuthorizedHttpClient}
     *         keeps the old one, as §6 allows)
     * @throws OAuthErrorException if the server refused the request ({@link InvalidGrantException} for an expired,
     *         revoked or reused refresh token)
     * @throws TokenEndpointUnavailableException if the server could not be reached or failed
     * @throws InvalidTokenResponseException if the response is not a token response
     * @throws InterruptedException if interrupted while waiting
     */
    public TokenSet refresh(String refreshToken) throws InterruptedException {
        return Futures.await(refreshAsync(refreshToken));
    }

    /**
     * {@link #refresh(String)} without blocking: the future completes with the tokens, or exceptionally with one of
     * the exceptions {@link #refresh(String)} throws.
     *
     * @param refreshToken the refresh token
     * @return the future tokens
     */
    public CompletableFuture<TokenSet> refreshAsync(String refreshToken) {
        Map<String, String> form = FormPoster.grantForm("refresh_token");
        form.put("refresh_token", requireToken(refreshToken, "refreshToken"));
        return grantAsync(form, Set.of());
    }

    /**
     * Any grant, including extension grants (RFC 6749 §4.5) such as the token exchange of RFC 8693.
     *
     * @param grantType the {@code grant_type}, e.g. an absolute URI for an extension grant
     * @param parameters the other body parameters; client authentication is added
     * @return the tokens
     * @throws OAuthErrorException if the server refused the request
     * @throws TokenEndpointUnavailableException if the server could not be reached or failed
     * @throws InvalidTokenResponseException if the response is not a token response
     * @throws InterruptedException if interrupted while waiting
     */
    public TokenSet grant(String grantType, Map<String, String> parameters) throws InterruptedException {
        Map<String, String> form = FormPoster.grantForm(requireToken(grantType, "grantType"));
        parameters.forEach((name, value) -> {
            if (form.putIfAbsent(Objects.requireNonNull(name), Objects.requireNonNull(value)) != null) {
                throw new IllegalArgumentException("parameter " + name + " is set by the client itself");
            }
        });
        return Futures.await(grantAsync(form, Set.of()));
    }

    /**
     * Revokes a token (RFC 7009 §2.1). The server answers success for a token it does not know, so success does
     * not prove the token existed.
     *
     * @param token the refresh or access token
     * @param hint which kind it is, to spare the server a lookup
     * @throws IllegalStateException if no revocation endpoint was configured
     * @throws OAuthErrorException if the server refused the request (e.g. {@code unsupported_token_type})
     * @throws TokenEndpointUnavailableException if the server could not be reached or failed (RFC 7009 §2.2.1:
     *         retry later)
     * @throws InterruptedException if interrupted while waiting
     */
    public void revoke(String token, TokenTypeHint hint) throws InterruptedException {
        if (revocationEndpoint == null) {
            throw new IllegalStateException("no revocation endpoint configured; set Builder.revocationEndpoint(uri)");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", requireToken(token, "token"));
        form.put("token_type_hint", Objects.requireNonNull(hint, "hint").wire());
        Futures.await(poster.post(revocationEndpoint, form).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw TokenResponses.failure(response);
            }
            return null;
        }));
    }

    /**
     * Whether a revocation endpoint was configured.
     *
     * @return true if {@link #revoke(String, TokenTypeHint)} can be called
     */
    public boolean canRevoke() {
        return revocationEndpoint != null;
    }

    private static String requireToken(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be null or empty");
        }
        return value;
    }

    private CompletableFuture<TokenSet> grantAsync(Map<String, String> form, Collection<String> requestedScopes) {
        // The expiry counts from before the request left, so network time never extends a token's life.
        Instant sentAt = clock.instant();
        return poster.post(tokenEndpoint, form)
                .thenApply(response -> TokenResponses.tokenSet(response, sentAt, requestedScopes));
    }

    private static URI checkEndpoint(URI uri, String name) {
        Objects.requireNonNull(uri, name);
        String scheme = uri.getScheme();
        boolean loopback = "http".equalsIgnoreCase(scheme) && uri.getHost() != null
                && (uri.getHost().equals("localhost") || uri.getHost().equals("[::1]")
                || uri.getHost().startsWith("127."));
        if (!uri.isAbsolute() || uri.getHost() == null || !("https".equalsIgnoreCase(scheme) || loopback)) {
            throw new IllegalArgumentException(name + " must be an absolute https URI (http only to a loopback"
                    + " address, for tests): RFC 6749 §3.2 requires TLS");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(name + " must not have a fragment (RFC 6749 §3.2)");
        }
        return uri;
    }

    /**
     * Builds a {@link TokenEndpointClient}. Each option may be set once and is checked when set. Not thread-safe.
     */
    public static final class Builder {
        private final URI tokenEndpoint;
        private URI revocationEndpoint;
        private ClientAuthentication authentication;
        private HttpClient http;
        private Duration timeout = Duration.ofSeconds(10);
        private boolean timeoutSet;
        private int maxResponseBytes = 64 * 1024;
        private boolean maxResponseBytesSet;
        private Clock clock = Clock.systemUTC();
        private boolean clockSet;

        private Builder(URI tokenEndpoint) {
            this.tokenEndpoint = tokenEndpoint;
        }

        /**
         * Sets the client authentication; required.
         *
         * @param authentication basic, post, or public
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder clientAuthentication(ClientAuthentication authentication) {
            once(this.authentication == null, "clientAuthentication", this.authentication);
            this.authentication = Objects.requireNonNull(authentication, "authentication");
            return this;
        }

        /**
         * Sets the RFC 7009 revocation endpoint; optional.
         *
         * @param revocationEndpoint https, or http to loopback
         * @return this builder
         * @throws IllegalArgumentException if not https (or http to loopback)
         * @throws IllegalStateException if already set
         */
        public Builder revocationEndpoint(URI revocationEndpoint) {
            once(this.revocationEndpoint == null, "revocationEndpoint", this.revocationEndpoint);
            this.revocationEndpoint = checkEndpoint(revocationEndpoint, "revocationEndpoint");
            return this;
        }

        /**
         * Sets the HTTP client; default: a new one with the connect timeout set to {@link #timeout(Duration)} and
         * redirects not followed (a token endpoint does not redirect).
         *
         * @param http the client
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder httpClient(HttpClient http) {
            once(this.http == null, "httpClient", this.http);
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /**
         * Sets the time one request may take, from sending to the complete response (and the connect timeout of
         * the default HTTP client); default 10 seconds.
         *
         * @param timeout positive, at most 5 minutes
         * @return this builder
         * @throws IllegalArgumentException if not positive or longer than 5 minutes
         * @throws IllegalStateException if already set
         */
        public Builder timeout(Duration timeout) {
            once(!timeoutSet, "timeout", this.timeout);
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("timeout must be positive and at most 5 minutes, was " + timeout);
            }
            this.timeout = timeout;
            this.timeoutSet = true;
            return this;
        }

        /**
         * Sets the largest response body read; default 64 KiB. A larger response fails with
         * {@link InvalidTokenResponseException} and is not buffered.
         *
         * @param maxResponseBytes from 1 KiB to 16 MiB
         * @return this builder
         * @throws IllegalArgumentException if out of range
         * @throws IllegalStateException if already set
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            once(!maxResponseBytesSet, "maxResponseBytes", this.maxResponseBytes);
            if (maxResponseBytes < 1024 || maxResponseBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxResponseBytes must be from 1024 to 16 MiB, was "
                        + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            this.maxResponseBytesSet = true;
            return this;
        }

        /**
         * Sets the clock that turns {@code expires_in} into an instant; default the system UTC clock.
         *
         * @param clock the clock
         * @return this builder
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            once(!clockSet, "clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            this.clockSet = true;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the immutable client
         * @throws IllegalStateException if no client authentication was set
         */
        public TokenEndpointClient build() {
            if (authentication == null) {
                throw new IllegalStateException("clientAuthentication is required: ClientAuthentication.basic(id,"
                        + " secret), .post(id, secret), or .publicClient(id)");
            }
            return new TokenEndpointClient(this);
        }

        static void once(boolean unset, String option, Object current) {
            if (!unset) {
                throw new IllegalStateException(option + " was already set to " + current);
            }
        }
    }
}
