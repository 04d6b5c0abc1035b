package dev.jeton;

import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.BoundedCache;
import dev.jeton.internal.BoundedHttp;
import dev.jeton.internal.Json;
import dev.jeton.internal.Options;
import dev.jeton.internal.TokenHashes;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks an authorization server's introspection endpoint (RFC 7662) whether an access token is still active, so that a
 * resource server that holds only the JWKS refuses the access tokens of a revoked session before they expire. Hand it
 * to {@link AccessTokenValidator.Builder#revocationCheck}: the validator asks only about tokens that passed every
 * other check.
 *
 * <pre>{@code
 * IntrospectionClient introspection = IntrospectionClient
 *     .builder(URI.create("https://auth.example.com/oauth/introspect"))
 *     .clientSecretBasic("api", apiSecret)                   // the resource server authenticates as a client
 *     .onFailure(IntrospectionClient.OnFailure.FAIL_CLOSED)  // required: no silent default
 *     .cacheTtl(Duration.ofSeconds(10))
 *     .build();
 * }</pre>
 *
 * <p>Answers are cached, keyed by a hash of the token (the token itself is never kept): an "active" answer for the
 * {@linkplain Builder#cacheTtl cache TTL} (never past the token's {@code exp}), so a revocation is seen within that
 * time; an "inactive" answer until the token expires, since revocation is final. At most
 * {@linkplain Builder#cacheSize cache size} answers are kept. An answer's age is measured on the builder's clock; if
 * it steps back, the answer counts as stale.
 *
 * <p>When the endpoint does not answer usefully (network, timeout, a status other than 200, a body that is not a JSON
 * object with a boolean {@code active}), the {@linkplain Builder#onFailure explicit choice} applies:
 * {@link OnFailure#FAIL_CLOSED} throws {@link IntrospectionException} (answer 503), {@link OnFailure#FAIL_OPEN} logs a
 * WARN and accepts the token on its signature alone. Nothing logged contains the token or the client secret.
 *
 * <p>Thread-safe; build one and share it.
 */
public final class IntrospectionClient {

    private static final Logger LOG = LoggerFactory.getLogger(IntrospectionClient.class);
    private static final Duration MAX_CACHE_TTL = Duration.ofMinutes(5);
    private static final int MAX_RESPONSE_BYTES = 64 * 1024;

    /** What to do with a token when the introspection endpoint cannot say whether it is active. */
    public enum OnFailure {
        /** Refuse to decide: {@link IntrospectionException}, HTTP 503. A revoked token is never accepted. */
        FAIL_CLOSED,
        /** Accept the token on its signature and claims, with a WARN log. The API stays up while the server is down. */
        FAIL_OPEN
    }

    /** An answer of the endpoint, stamped on the clock; {@code untilMillis} bounds how long it may be used. */
    private record Answer(boolean active, long checkedAtMillis, long untilMillis) {
    }

    private final URI endpoint;
    private final String location;
    private final String authorization;
    private final String formCredentials;
    private final OnFailure onFailure;
    private final long ttlMillis;
    private final Duration requestTimeout;
    private final Clock clock;
    private final HttpClient client;
    private final BoundedCache<String, Answer> answers;

    private IntrospectionClient(Builder b) {
        this.endpoint = b.endpoint;
        this.location = BoundedHttp.location(b.endpoint);
        String id = form(b.clientId);
        String secret = form(b.clientSecret);
        this.authorization = b.post ? null : "Basic " + Base64.getEncoder()
                .encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        this.formCredentials = b.post ? "&client_id=" + id + "&client_secret=" + secret : "";
        this.onFailure = b.onFailure;
        this.ttlMillis = (b.cacheTtl != null ? b.cacheTtl : Duration.ofSeconds(10)).toMillis();
        this.answers = new BoundedCache<>(b.cacheSize != null ? b.cacheSize : 10_000);
        this.requestTimeout = b.requestTimeout != null ? b.requestTimeout : Duration.ofSeconds(5);
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.client = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(requestTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Starts a client for the introspection endpoint at {@code endpoint}.
     *
     * @throws IllegalArgumentException if it is not absolute {@code https} (or {@code http} to a loopback host), or
     *     carries user info
     */
    public static Builder builder(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new Builder(BoundedHttp.requireHttps("the introspection endpoint", endpoint));
    }

    /**
     * Refuses {@code token} unless the endpoint calls it active, from a fresh cached answer or by asking.
     *
     * @throws InvalidTokenException {@link Reason#REVOKED} if the endpoint says it is not active
     * @throws IntrospectionException if the endpoint cannot answer and this client fails closed
     */
    void check(String token, VerifiedAccessToken verified) {
        String key = TokenHashes.sha256(token);
        long now = clock.millis();
        Answer answer = answers.get(key);
        if (answer == null || !usable(answer, now)) {
            answer = ask(token, verified, now);
            if (answer == null) {
                return;
            }
            keep(key, answer);
        }
        if (!answer.active()) {
            throw new InvalidTokenException(Reason.REVOKED, "the introspection endpoint calls access token "
                    + verified.jti() + " inactive");
        }
    }

    private boolean usable(Answer answer, long now) {
        long age = now - answer.checkedAtMillis();
        return age >= 0 && now < answer.untilMillis();
    }

    /** The endpoint's answer; null if it failed and this client fails open. */
    private Answer ask(String token, VerifiedAccessToken verified, long now) {
        long exp = verified.expiresAt().toEpochMilli();
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + form(token) + "&token_type_hint=access_token"
                        + formCredentials));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        String failure;
        try {
            byte[] body = BoundedHttp.send(client, request.build(), requestTimeout, MAX_RESPONSE_BYTES).body();
            Map<String, Object> response = Json.parseObject(body);
            if (response.get("active") instanceof Boolean active) {
                return new Answer(active, now, active ? Math.min(now + ttlMillis, exp) : exp);
            }
            failure = "the response has no boolean 'active'";
        } catch (BoundedHttp.Failure | Json.JsonException e) {
            failure = e.getMessage();
        }
        if (onFailure == OnFailure.FAIL_OPEN) {
            LOG.warn("introspection at {} failed ({}); accepting access token {} on its signature (fail-open)",
                    location, failure, verified.jti());
            return null;
        }
        throw new IntrospectionException("introspection at " + location + " failed (" + failure
                + "); access token " + verified.jti() + " is neither accepted nor refused");
    }

    private void keep(String key, Answer answer) {
        answers.put(key, answer);
    }

    /** {@code application/x-www-form-urlencoded}, which RFC 6749 §2.3.1 also asks for inside HTTP Basic. */
    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "IntrospectionClient[" + location + ", " + onFailure + "]";
    }

    /**
     * Configures an {@link IntrospectionClient}. Client authentication and the failure choice are required; each
     * option may be set once. Not thread-safe.
     */
    public static final class Builder {
        private final URI endpoint;
        private String clientId;
        private String clientSecret;
        private boolean post;
        private OnFailure onFailure;
        private Duration cacheTtl;
        private Integer cacheSize;
        private Duration requestTimeout;
        private Clock clock;
        private HttpClient httpClient;

        private Builder(URI endpoint) {
            this.endpoint = endpoint;
        }

        /**
         * Authenticates with HTTP Basic ({@code client_secret_basic}, RFC 6749 §2.3.1), the method every
         * authorization server supports.
         *
         * @throws IllegalArgumentException if either is blank
         * @throws IllegalStateException if client authentication was already set
         */
        public Builder clientSecretBasic(String clientId, String clientSecret) {
            return credentials(clientId, clientSecret, false);
        }

        /**
         * Authenticates with {@code client_id} and {@code client_secret} in the form body
         * ({@code client_secret_post}).
         *
         * @throws IllegalArgumentException if either is blank
         * @throws IllegalStateException if client authentication was already set
         */
        public Builder clientSecretPost(String clientId, String clientSecret) {
            return credentials(clientId, clientSecret, true);
        }

        private Builder credentials(String id, String secret, boolean inBody) {
            Options.requireNotSet("client authentication", this.clientId);
            this.clientId = Options.requireText("clientId", id);
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("clientSecret must not be blank");
            }
            this.clientSecret = secret;
            this.post = inBody;
            return this;
        }

        /** What to do when the endpoint cannot answer. Required: failing open or closed is a decision. */
        public Builder onFailure(OnFailure onFailure) {
            Options.requireNotSet("onFailure", this.onFailure);
            this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
            return this;
        }

        /**
         * How long an "active" answer is trusted: a revocation is seen within this time. Default 10 seconds; zero asks
         * on every validation; at most 5 minutes.
         *
         * @throws IllegalArgumentException if negative or longer than 5 minutes
         */
        public Builder cacheTtl(Duration ttl) {
            Options.requireNotSet("cacheTtl", this.cacheTtl);
            Objects.requireNonNull(ttl, "cacheTtl");
            if (ttl.isNegative() || ttl.compareTo(MAX_CACHE_TTL) > 0) {
                throw new IllegalArgumentException("cacheTtl must be between 0 and " + MAX_CACHE_TTL + ", got " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** How many answers are kept at most. Default 10,000; 1 to 1,000,000. */
        public Builder cacheSize(int size) {
            Options.requireNotSet("cacheSize", this.cacheSize);
            if (size < 1 || size > 1_000_000) {
                throw new IllegalArgumentException("cacheSize must be between 1 and 1,000,000, got " + size);
            }
            this.cacheSize = size;
            return this;
        }

        /** The time allowed for the whole exchange. Default 5 seconds. */
        public Builder requestTimeout(Duration timeout) {
            Options.requireNotSet("requestTimeout", this.requestTimeout);
            Objects.requireNonNull(timeout, "requestTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("requestTimeout must be positive, got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /** The clock for the cache. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            Options.requireNotSet("clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The HTTP client, for a proxy or custom TLS trust. By default one that follows no redirects. */
        public Builder httpClient(HttpClient httpClient) {
            Options.requireNotSet("httpClient", this.httpClient);
            this.httpClient = Objects.requireNonNull(httpClient, "httpClient");
            return this;
        }

        /**
         * Builds the client; nothing is sent yet.
         *
         * @throws IllegalStateException if client authentication or {@link #onFailure} is missing
         */
        public IntrospectionClient build() {
            if (clientId == null) {
                throw new IllegalStateException("client authentication is required (RFC 7662 §2.1): call "
                        + "clientSecretBasic(...) or clientSecretPost(...)");
            }
            if (onFailure == null) {
                throw new IllegalStateException("onFailure(...) is required: choose FAIL_CLOSED (refuse to decide "
                        + "while the endpoint is down) or FAIL_OPEN (accept tokens on their signature)");
            }
            return new IntrospectionClient(this);
        }
    }
}
