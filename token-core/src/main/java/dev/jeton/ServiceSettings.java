package dev.jeton;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link TokenService}'s options with every default resolved: {@link TokenService.Builder#build()} makes one, after
 * checking conflicts, and nothing else decides a default. The validator's own options (issuer, audience, keys, skew,
 * length, cache) are its builder's; the ones both share (clock, provider policy, algorithms, listener) are resolved
 * here and handed to it.
 *
 * @param clock the clock of every timestamp and check
 * @param accessTokenTtl how long access tokens live
 * @param customizer adds claims to every access token
 * @param listener receives every event
 * @param providerPolicy which JCA providers sign and verify
 * @param algorithms the algorithms the service signs with and accepts
 * @param additionalAudiences further audiences the service issues for
 * @param idTokens ID-token options, when ID tokens are on
 * @param refresh refresh-token options, when there is a store
 */
record ServiceSettings(Clock clock, Duration accessTokenTtl, Optional<ClaimsCustomizer> customizer,
                       TokenEventListener listener, ProviderPolicy providerPolicy, Set<JwsAlgorithm> algorithms,
                       Set<String> additionalAudiences, Optional<IdTokenSettings> idTokens,
                       Optional<RefreshSettings> refresh) {

    static final Duration DEFAULT_ACCESS_TOKEN_TTL = Duration.ofMinutes(15);
    static final Duration DEFAULT_IDLE_TTL = Duration.ofDays(14);
    static final Duration DEFAULT_MAX_TTL = Duration.ofDays(90);
    static final String DEFAULT_PREFIX = "jrt";
    static final int DEFAULT_SESSION_CACHE = 10_000;

    /**
     * @param ttl how long ID tokens live
     * @param customizer adds claims to every ID token
     */
    record IdTokenSettings(Duration ttl, Optional<IdTokenClaimsCustomizer> customizer) {
    }

    /**
     * @param store where refresh-token state lives
     * @param idleTtl how long a refresh token stays usable unused
     * @param maxTtl the absolute lifetime of a session
     * @param rotation rotate or reuse
     * @param grace how long a rotated token still returns its successor
     * @param graceUses how many times it may
     * @param prefix the refresh-token prefix
     * @param pepper the HMAC secret refresh tokens are hashed under, if any
     * @param revocationCacheTtl with revocation-aware validation, how long a store's answer is trusted
     * @param sessionCacheSize how many sessions' fixed parts are kept in memory
     */
    record RefreshSettings(TokenStore store, Duration idleTtl, Duration maxTtl, RefreshRotation rotation,
                           Duration grace, int graceUses, String prefix, Optional<byte[]> pepper,
                           Optional<Duration> revocationCacheTtl, int sessionCacheSize) {
    }
}
