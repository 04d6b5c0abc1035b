package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.BoundedHttp;
import dev.jeton.internal.Options;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification keys of a resource server: the public JWK set an authorization server publishes at a URL,
 * fetched with {@code java.net.http} and cached. It never signs.
 *
 * <p>Fetching: the first lookup fetches the set (nothing is fetched at build time, so an application starts while
 * the authorization server is down). The set is then cached for the response's {@code Cache-Control: max-age} held
 * within {@linkplain Builder#cacheControlBounds(Duration, Duration) bounds}, or for the {@linkplain
 * Builder#cacheTtl(Duration) cache TTL} when it names none; the first lookup after that refetches, while other threads
 * keep using the cached keys. A token whose {@code kid} is not in the set triggers a refetch, so a rotated key is
 * picked up at once, but at most once per {@linkplain Builder#minRefreshInterval(Duration) minimum refresh interval},
 * so tokens with made-up kids cannot turn into a flood of requests. Only one fetch runs at a time; concurrent callers
 * that need it wait for it.
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

    /** The keys of one fetch, used until {@code fetchedAt + ttl}. */
    private record Snapshot(Map<String, JwtKey> byKid, List<JwtKey> keys, Instant fetchedAt, Duration ttl) {
        boolean freshAt(Instant now) {
            return now.isBefore(fetchedAt.plus(ttl));
        }
    }

    private final String location;
    private final Clock clock;
    private final Duration minRefreshInterval;
    private final JwksFetcher fetcher;
    private final ReentrantLock fetchLock = new ReentrantLock();

    private volatile Snapshot snapshot;
    /** Written under {@code fetchLock}; read without it to turn away unknown kids cheaply. */
    private volatile Instant lastAttempt;
    /** Guarded by {@code fetchLock}. */
    private String lastFailure;

    private RemoteJwksKeyProvider(Builder b) {
        this.location = BoundedHttp.location(b.uri);
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.minRefreshInterval = b.minRefreshInterval != null ? b.minRefreshInterval : DEFAULT_MIN_REFRESH_INTERVAL;
        Duration cacheTtl = b.cacheTtl != null ? b.cacheTtl : DEFAULT_CACHE_TTL;
        HttpClient client = b.httpClient != null ? b.httpClient : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout != null ? b.connectTimeout : DEFAULT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.fetcher = new JwksFetcher(b.uri, client, b.requestTimeout != null ? b.requestTimeout : DEFAULT_TIMEOUT,
                b.maxResponseBytes != null ? b.maxResponseBytes : DEFAULT_MAX_RESPONSE_BYTES, cacheTtl,
                b.minCacheTtl != null ? b.minCacheTtl : minRefreshInterval,
                b.maxCacheTtl != null ? b.maxCacheTtl : cacheTtl);
    }

    /**
     * Starts a provider for the JWK set at {@code jwksUri}.
     *
     * @throws IllegalArgumentException if the URI is not absolute {@code https} (or {@code http} to a loopback host),
     *     or carries user info, which would end up in logs
     */
    public static Builder builder(URI jwksUri) {
        Objects.requireNonNull(jwksUri, "jwksUri");
        BoundedHttp.requireHttps("the JWKS URI", jwksUri);
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
        if (s != null && s.freshAt(clock.instant())) {
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
            if (s == null || !s.freshAt(clock.instant())) {
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
                JwksFetcher.Fetched fetched = fetcher.fetch();
                Snapshot fresh = new Snapshot(fetched.byKid(), fetched.keys(), now, fetched.ttl());
                snapshot = fresh;
                lastFailure = null;
                LOG.debug("Fetched {} keys from {}", fresh.keys.size(), location);
            } catch (JwksFetcher.FetchException e) {
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

    @Override
    public String toString() {
        Snapshot s = snapshot;
        return "RemoteJwksKeyProvider[" + location + ", " + (s == null ? "not fetched" : s.keys.size() + " keys") + "]";
    }

    /**
     * Configures a {@link RemoteJwksKeyProvider}. Each option may be set once; every value is checked and refused
     * if out of range, never adjusted. Not thread-safe; build on one thread.
     */
    public static final class Builder {

        private final URI uri;
        private Clock clock;
        private Duration cacheTtl;
        private Duration minCacheTtl;
        private Duration maxCacheTtl;
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
         * How long a fetched set is used before the next lookup refetches it, when the response names no
         * {@code Cache-Control: max-age}; 5 minutes by default. An authorization server should publish a new key at
         * least this long before signing with it.
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
         * The bounds within which a response's {@code Cache-Control: max-age} is honoured: a max-age below
         * {@code min} (or {@code no-cache}, {@code no-store}) uses the set for {@code min}, one above {@code max} for
         * {@code max}; a response without max-age uses the {@linkplain #cacheTtl(Duration) cache TTL}. By default the
         * minimum refresh interval and the cache TTL, so an authorization server can shorten how long its keys are
         * cached (to publish a rotation in time) but not lengthen it past what this resource server chose.
         *
         * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is shorter than {@code min}
         * @throws IllegalStateException if already set
         */
        public Builder cacheControlBounds(Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            Options.requireNotSet("cacheControlBounds", this.minCacheTtl);
            positive("cacheControlBounds min", min);
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException("cacheControlBounds max (" + max + ") is shorter than min (" + min
                        + ")");
            }
            this.minCacheTtl = min;
            this.maxCacheTtl = max;
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
            if (minCacheTtl != null && minCacheTtl.compareTo(interval) < 0) {
                throw new IllegalStateException("cacheControlBounds min (" + minCacheTtl + ") is shorter than "
                        + "minRefreshInterval (" + interval + "); the set could not be refetched that often, raise "
                        + "the minimum");
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
