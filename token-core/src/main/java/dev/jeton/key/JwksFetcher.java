package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.BoundedHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a remote JWK set for {@link RemoteJwksKeyProvider}: one bounded GET ({@link BoundedHttp}), the body parsed
 * leniently as a public set, and how long to use it from {@code Cache-Control}. The provider decides when to fetch;
 * this decides nothing about caching but the TTL. Thread-safe; logs under the provider's name.
 */
final class JwksFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwksKeyProvider.class);

    /** One fetch's keys, by kid and in order, and how long to use them. */
    record Fetched(Map<String, JwtKey> byKid, List<JwtKey> keys, Duration ttl) {
    }

    private final URI uri;
    private final String location;
    private final HttpClient client;
    private final Duration requestTimeout;
    private final int maxResponseBytes;
    private final Duration cacheTtl;
    private final Duration minCacheTtl;
    private final Duration maxCacheTtl;

    JwksFetcher(URI uri, HttpClient client, Duration requestTimeout, int maxResponseBytes, Duration cacheTtl,
                Duration minCacheTtl, Duration maxCacheTtl) {
        this.uri = uri;
        this.location = BoundedHttp.location(uri);
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.cacheTtl = cacheTtl;
        this.minCacheTtl = minCacheTtl;
        this.maxCacheTtl = maxCacheTtl;
    }

    /**
     * Fetches and parses the set once.
     *
     * @throws FetchException if the request, the status, the size or the body fails, or no key is usable
     */
    Fetched fetch() throws FetchException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", "application/jwk-set+json, application/json")
                .GET()
                .build();
        BoundedHttp.Response response;
        try {
            response = BoundedHttp.send(client, request, requestTimeout, maxResponseBytes);
        } catch (BoundedHttp.Failure e) {
            throw new FetchException(e.getMessage());
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
        return new Fetched(Map.copyOf(byKid), List.copyOf(byKid.values()), ttl(response.headers()));
    }

    /**
     * How long to use this response: its {@code Cache-Control: max-age} held within the bounds ({@code no-cache} and
     * {@code no-store} count as zero), or the cache TTL when it names none. An authorization server that rotates keys
     * sets the max-age from its rotation lead time, so resource servers see a new key before it signs.
     */
    private Duration ttl(HttpHeaders headers) {
        long maxAge = -1;
        for (String value : headers.allValues("Cache-Control")) {
            for (String directive : value.split(",")) {
                String d = directive.trim().toLowerCase(Locale.ROOT);
                if (d.equals("no-cache") || d.equals("no-store")) {
                    maxAge = 0;
                } else if (d.startsWith("max-age=") && maxAge != 0) {
                    maxAge = seconds(d.substring("max-age=".length()));
                }
            }
        }
        if (maxAge < 0) {
            return cacheTtl;
        }
        Duration advertised = Duration.ofSeconds(maxAge);
        if (advertised.compareTo(minCacheTtl) < 0) {
            return minCacheTtl;
        }
        return advertised.compareTo(maxCacheTtl) > 0 ? maxCacheTtl : advertised;
    }

    /** Delta-seconds (RFC 9111 §1.2.2), quoted or not; -1 if it is not one. Values past a year count as a year. */
    private static long seconds(String text) {
        String digits = text.length() > 1 && text.startsWith("\"") && text.endsWith("\"")
                ? text.substring(1, text.length() - 1) : text;
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Math.min(Long.parseLong(digits), Duration.ofDays(365).toSeconds());
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

    /** A fetch failure; its message is safe for logs (no body content). */
    static final class FetchException extends Exception {
        private static final long serialVersionUID = 1L;

        FetchException(String message) {
            super(message, null, false, false);
        }
    }
}
