package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.Options;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification keys of a resource server: the public JWK set an authorization server publishes at a URL,
 * fetched with {@code java.net.http} and cached. It never signs.
 *
 * <p>Fetching: the first lookup fetches the set (nothing is fetched at build time, so an application starts while
 * the authorization server is down). The set is then cached for the {@linkplain Builder#cacheTtl(Duration) cache
 * TTL}; the first lookup after it refetches, while other threads keep using the cached keys. A token whose
 * {@code kid} is not in the set triggers a refetch, so a rotated key is picked up at once, but at most once per
 * {@linkplain Builder#minRefreshInterval(Duration) minimum refresh interval}, so tokens with made-up kids cannot
 * turn into a flood of requests. Only one fetch runs at a time; concurrent callers that need it wait for it.
 *
 * <p>The response must have status 200 and a body of at most {@linkplain Builder#maxResponseBytes(int) the size
 * limit}; a larger body is refused as soon as the limit is passed, without reading the rest. Redirects are not
 * followed: configure the final URL. Keys in the set that Jeton cannot use (unknown types or algorithms, weak keys,
 * encryption keys) are logged by kid and skipped; the others are used. A published set never supplies a secret: a
 * shared-secret ({@code oct}) key, or any key carrying private members, is skipped with a WARN log naming its kid
 * (see {@link JwkSets#parsePublic(String)}), so tokens signed with it are refused as an unknown key.
 *
 * <p>Failures: when a refetch fails (network, timeout, status, size, a body that is not a JWK set, or a set without
 * one usable key) the provider logs a warning, without the body, and keeps serving the keys of the last successful
 * fetch. If no fetch has succeeded yet, lookups throw {@link KeyException}, and the next attempt waits for the
 * minimum refresh interval.
 *
 * <p>Only {@code https} URLs are accepted, except {@code http} to a loopback host ({@code 127.0.0.1}, {@code [::1]},
 * {@code localhost}), for tests and for a sidecar on the same machine. Time for the cache comes from the
 * builder's {@link Clock}; timeouts are real time.
 *
 * <p>Thread safety: instances are thread-safe. A lookup within the cache TTL takes no lock, whether its kid is known
 * or not, unless it triggers a fetch or a fetch is running.
 */
public final class RemoteJwksKeyProvider implements KeyProvider {

    /** The default time the fetched set is used before it is refetched: 5 minutes. */
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    /** The default shortest time between two fetches: 30 seconds. */
    public static final Duration DEFAULT_MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);
    /** The default connect timeout and request timeout: 5 seconds each. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** The default largest response body accepted: 256 KiB. */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwksKeyProvider.class);
    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

    private record Snapshot(Map<String, JwtKey> byKid, List<JwtKey> keys, Instant fetchedAt) {
    }

    private final URI uri;
    private final String location;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Duration minRefreshInterval;
    private final Duration requestTimeout;
    private final int maxResponseBytes;
    private final HttpClient client;
    private final ReentrantLock fetchLock = new ReentrantLock();

    private volatile Snapshot snapshot;
    /** Written under {@code fetchLock}; read without it to turn away unknown kids cheaply. */
    private volatile Instant lastAttempt;
    /** Guarded by {@code fetchLock}. */
    private String lastFailure;

    private RemoteJwksKeyProvider(Builder b) {
        this.uri = b.uri;
        this.location = location(b.uri);
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.cacheTtl = b.cacheTtl != null ? b.cacheTtl : DEFAULT_CACHE_TTL;
        this.minRefreshInterval = b.minRefreshInterval != null ? b.minRefreshInterval : DEFAULT_MIN_REFRESH_INTERVAL;
        this.requestTimeout = b.requestTimeout != null ? b.requestTimeout : DEFAULT_TIMEOUT;
        this.maxResponseBytes = b.maxResponseBytes != null ? b.maxResponseBytes : DEFAULT_MAX_RESPONSE_BYTES;
        this.client = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout != null ? b.connectTimeout : DEFAULT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Starts a provider for the JWK set at {@code jwksUri}.
     *
     * @throws IllegalArgumentException if the URI is not absolute {@code https} (or {@code http} to a loopback host),
     *     or carries user info, which would end up in logs
     */
    public static Builder builder(URI jwksUri) {
        Objects.requireNonNull(jwksUri, "jwksUri");
        String scheme = jwksUri.getScheme() == null ? "" : jwksUri.getScheme().toLowerCase(Locale.ROOT);
        String host = jwksUri.getHost() == null ? null : jwksUri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("the JWKS URI must be an absolute https URL, got " + location(jwksUri));
        }
        if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(host)) {
            throw new IllegalArgumentException("the JWKS URI must use https; plain http is only accepted for "
                    + "127.0.0.1, [::1] and localhost, got " + location(jwksUri));
        }
        if (jwksUri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("the JWKS URI must not carry user info; configure credentials on the "
                    + "HttpClient instead");
        }
        return new Builder(jwksUri);
    }

    /**
     * Always throws: a remote JWK set holds public keys only.
     *
     * @throws KeyException always
     */
    @Override
    public JwtKey signingKey() {
        throw new KeyException("the keys from " + location + " only verify; a resource server does not sign tokens");
    }

    /**
     * The key with this kid, refetching the set if the cache TTL has passed, or if the kid is unknown and the last
     * fetch is at least the minimum refresh interval ago.
     *
     * @throws KeyException if no fetch has succeeded yet and this one fails too
     */
    @Override
    public Optional<JwtKey> verificationKey(String kid) {
        Objects.requireNonNull(kid, "kid");
        Snapshot s = current();
        JwtKey key = s.byKid.get(kid);
        if (key != null) {
            return Optional.of(key);
        }
        Instant last = lastAttempt;
        if (!fetchLock.isLocked() && last != null && clock.instant().isBefore(last.plus(minRefreshInterval))) {
            // No fetch is allowed and none is running: tokens with made-up kids end here without taking the lock.
            return Optional.ofNullable(snapshot.byKid.get(kid));
        }
        fetchLock.lock();
        try {
            s = snapshot;
            if (!s.byKid.containsKey(kid)) {
                s = fetchIfAllowed();
            }
        } finally {
            fetchLock.unlock();
        }
        return Optional.ofNullable(s.byKid.get(kid));
    }

    /**
     * The keys of the set, refetching it if the cache TTL has passed.
     *
     * @throws KeyException if no fetch has succeeded yet and this one fails too
     */
    @Override
    public List<JwtKey> verificationKeys() {
        return current().keys;
    }

    /** A snapshot within the TTL if possible; a stale one if a refetch fails or another thread is refetching. */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (s != null && clock.instant().isBefore(s.fetchedAt.plus(cacheTtl))) {
            return s;
        }
        if (s != null) {
            if (!fetchLock.tryLock()) {
                return s;
            }
        } else {
            fetchLock.lock();
        }
        try {
            s = snapshot;
            if (s == null || !clock.instant().isBefore(s.fetchedAt.plus(cacheTtl))) {
                s = fetchIfAllowed();
            }
            return s;
        } finally {
            fetchLock.unlock();
        }
    }

    /** Fetches unless the last attempt is too recent. Caller holds {@code fetchLock}. Never returns null. */
    private Snapshot fetchIfAllowed() {
        Instant now = clock.instant();
        if (lastAttempt == null || !now.isBefore(lastAttempt.plus(minRefreshInterval))) {
            lastAttempt = now;
            try {
                Snapshot fresh = fetch(now);
                snapshot = fresh;
                lastFailure = null;
                LOG.debug("Fetched {} keys from {}", fresh.keys.size(), location);
            } catch (FetchException e) {
                lastFailure = e.getMessage();
                Snapshot old = snapshot;
                if (old != null) {
                    LOG.warn("Refreshing the JWK set from {} failed: {}; keeping the {} keys fetched at {}",
                            location, lastFailure, old.keys.size(), old.fetchedAt);
                } else {
                    LOG.warn("Fetching the JWK set from {} failed: {}", location, lastFailure);
                }
            }
        }
        Snapshot s = snapshot;
        if (s == null) {
            throw new KeyException("no keys from " + location + " yet: " + lastFailure + "; next attempt from "
                    + lastAttempt.plus(minRefreshInterval));
        }
        return s;
    }

    private Snapshot fetch(Instant now) throws FetchException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/jwk-set+json, application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(request, info -> new LimitedBody(info, maxResponseBytes));
        HttpResponse<byte[]> response;
        try {
            // The request timeout only covers the headers; this bounds a body that trickles in.
            response = pending.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new FetchException("no complete response within " + requestTimeout);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new FetchException("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FetchException f) {
                throw f;
            }
            if (cause instanceof HttpTimeoutException) {
                throw new FetchException("no response within " + requestTimeout);
            }
            throw new FetchException("request failed (" + (cause == null ? e : cause).getClass().getSimpleName()
                    + ")");
        }
        List<JwtKey> keys = parse(response.body());
        if (keys.isEmpty()) {
            throw new FetchException("the JWK set holds no usable signing key");
        }
        Map<String, JwtKey> byKid = new LinkedHashMap<>();
        for (JwtKey key : keys) {
            if (byKid.putIfAbsent(key.kid(), key) != null) {
                LOG.warn("JWK set from {} has two keys with kid '{}'; using the first", location, key.kid());
            }
        }
        return new Snapshot(Map.copyOf(byKid), List.copyOf(byKid.values()), now);
    }

    /**
     * Parses as a public set, leniently: each unusable key, and each secret or private one, is logged by kid and
     * skipped.
     */
    private List<JwtKey> parse(byte[] body) throws FetchException {
        try {
            return JwkSets.parsePublic(new String(body, StandardCharsets.UTF_8), "the JWK set from " + location,
                    problem -> LOG.warn("Skipping a key of the JWK set from {}: {}", location, problem.getMessage()));
        } catch (KeyException e) {
            throw new FetchException(e.getMessage());
        }
    }

    /** Scheme, host, port and path: never user info or query, which may hold secrets. */
    private static String location(URI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + host + port + path;
    }

    @Override
    public String toString() {
        Snapshot s = snapshot;
        return "RemoteJwksKeyProvider[" + location + ", " + (s == null ? "not fetched" : s.keys.size() + " keys") + "]";
    }

    /** A fetch failure; its message is safe for logs (no body content). */
    private static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;

        FetchException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Collects a 200 response body up to a limit. Any other status, or a body past the limit (by Content-Length or
     * as it arrives), cancels the exchange so that the rest is never read.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int limit;
        private final FetchException refusal;
        private Flow.Subscription subscription;

        LimitedBody(HttpResponse.ResponseInfo info, int limit) {
            this.limit = limit;
            OptionalLong length = info.headers().firstValueAsLong("Content-Length");
            if (info.statusCode() != 200) {
                refusal = new FetchException("HTTP status " + info.statusCode());
            } else if (length.isPresent() && length.getAsLong() > limit) {
                refusal = tooLarge(limit);
            } else {
                refusal = null;
            }
        }

        private static FetchException tooLarge(int limit) {
            return new FetchException("response larger than " + limit + " bytes");
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (refusal != null) {
                subscription.cancel();
                result.completeExceptionally(refusal);
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (out.size() + (long) item.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(tooLarge(limit));
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }
    }

    /**
     * Configures a {@link RemoteJwksKeyProvider}. Each option may be set once; every value is checked and refused
     * if out of range, never adjusted. Not thread-safe; build on one thread.
     */
    public static final class Builder {

        private final URI uri;
        private Clock clock;
        private Duration cacheTtl;
        private Duration minRefreshInterval;
        private Duration connectTimeout;
        private Duration requestTimeout;
        private Integer maxResponseBytes;
        private HttpClient httpClient;

        private Builder(URI uri) {
            this.uri = uri;
        }

        /**
         * The clock for the cache TTL and the refresh interval; {@link Clock#systemUTC()} by default.
         *
         * @throws IllegalStateException if already set
         */
        public Builder clock(Clock clock) {
            Objects.requireNonNull(clock, "clock");
            Options.requireNotSet("clock", this.clock);
            this.clock = clock;
            return this;
        }

        /**
         * How long a fetched set is used before the next lookup refetches it; 5 minutes by default. An authorization
         * server should publish a new key at least this long before signing with it.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder cacheTtl(Duration cacheTtl) {
            Options.requireNotSet("cacheTtl", this.cacheTtl);
            this.cacheTtl = positive("cacheTtl", cacheTtl);
            return this;
        }

        /**
         * The shortest time between two fetches, whatever triggers them (an unknown kid, the TTL, a failed fetch);
         * 30 seconds by default.
         *
         * @throws IllegalArgumentException if negative (zero allows a fetch for every unknown kid)
         * @throws IllegalStateException if already set
         */
        public Builder minRefreshInterval(Duration minRefreshInterval) {
            Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
            Options.requireNotSet("minRefreshInterval", this.minRefreshInterval);
            if (minRefreshInterval.isNegative()) {
                throw new IllegalArgumentException("minRefreshInterval must not be negative, got "
                        + minRefreshInterval);
            }
            this.minRefreshInterval = minRefreshInterval;
            return this;
        }

        /**
         * The time allowed to open a connection; 5 seconds by default. Not with {@link #httpClient(HttpClient)},
         * which has its own.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder connectTimeout(Duration connectTimeout) {
            Options.requireNotSet("connectTimeout", this.connectTimeout);
            this.connectTimeout = positive("connectTimeout", connectTimeout);
            return this;
        }

        /**
         * The time allowed for the whole response, headers and body; 5 seconds by default. A caller that triggers a
         * fetch may wait this long.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder requestTimeout(Duration requestTimeout) {
            Options.requireNotSet("requestTimeout", this.requestTimeout);
            this.requestTimeout = positive("requestTimeout", requestTimeout);
            return this;
        }

        /**
         * The largest response body accepted; 256 KiB by default, far above any real JWK set.
         *
         * @throws IllegalArgumentException if not positive
         * @throws IllegalStateException if already set
         */
        public Builder maxResponseBytes(int maxResponseBytes) {
            Options.requireNotSet("maxResponseBytes", this.maxResponseBytes);
            if (maxResponseBytes <= 0) {
                throw new IllegalArgumentException("maxResponseBytes must be positive, got " + maxResponseBytes);
            }
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        /**
         * The HTTP client to fetch with, for a proxy, custom TLS trust or authentication. By default a client with
         * the {@linkplain #connectTimeout(Duration) connect timeout} that follows no redirects. Whether a given client
         * follows redirects is its own setting.
         *
         * @throws IllegalStateException if already set
         */
        public Builder httpClient(HttpClient httpClient) {
            Objects.requireNonNull(httpClient, "httpClient");
            Options.requireNotSet("httpClient", this.httpClient);
            this.httpClient = httpClient;
            return this;
        }

        /**
         * Builds the provider; nothing is fetched yet.
         *
         * @throws IllegalStateException if both a connect timeout and an HTTP client are set (set the timeout on the
         *     client), or the cache TTL is shorter than the minimum refresh interval
         */
        public RemoteJwksKeyProvider build() {
            if (httpClient != null && connectTimeout != null) {
                throw new IllegalStateException("connectTimeout applies to the default HTTP client only; with "
                        + "httpClient(...) set the connect timeout on that client");
            }
            Duration ttl = cacheTtl != null ? cacheTtl : DEFAULT_CACHE_TTL;
            Duration interval = minRefreshInterval != null ? minRefreshInterval : DEFAULT_MIN_REFRESH_INTERVAL;
            if (ttl.compareTo(interval) < 0) {
                throw new IllegalStateException("cacheTtl (" + ttl + ") is shorter than minRefreshInterval ("
                        + interval + "); the set could not be refetched that often, raise cacheTtl");
            }
            return new RemoteJwksKeyProvider(this);
        }


        private static Duration positive(String option, Duration value) {
            Objects.requireNonNull(value, option);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, got " + value);
            }
            return value;
        }
    }
}
