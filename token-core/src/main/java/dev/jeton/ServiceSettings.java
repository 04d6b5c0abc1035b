package dev.jeton;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link TokenService}'s options with every default resolved: {@link #of} makes one from the builder, after
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
    static final int DEFAULT_SESSION_CACHE = 100_000;

    /**
     * The one place that turns what was set on {@code b} into settings: checks that the options agree, then resolves
     * every default.
     *
     * @throws IllegalStateException if options conflict (refresh options without a store, idle lifetime above the
     *     absolute one, a grace window in REUSE mode, grace uses without a window, an ID token customizer without ID
     *     tokens)
     */
    static ServiceSettings of(TokenService.Builder b) {
        if (b.store == null && (b.idleTtl != null || b.maxTtl != null || b.rotation != null || b.grace != null
                || b.graceUses != null || b.prefix != null || b.pepper != null || b.revocationCacheTtl != null
                || b.sessionCacheSize != null)) {
            throw new IllegalStateException("refresh-token options need a token store; set store(...) or remove them");
        }
        if (b.rotation == RefreshRotation.REUSE && ((b.grace != null && !b.grace.isZero()) || b.graceUses != null)) {
            throw new IllegalStateException("reuseGrace applies to RefreshRotation.ROTATE only; REUSE mode returns "
                    + "the same token anyway");
        }
        if (b.graceUses != null && (b.grace == null || b.grace.isZero())) {
            throw new IllegalStateException("reuseGraceUses needs a reuseGrace window greater than zero");
        }
        if (b.idTokenCustomizer != null && b.idTokenTtl == null) {
            throw new IllegalStateException("idTokenClaimsCustomizer needs ID tokens; set idTokens(ttl) too");
        }
        Optional<RefreshSettings> refresh = Optional.ofNullable(b.store).map(store -> new RefreshSettings(store,
                b.idleTtl != null ? b.idleTtl : DEFAULT_IDLE_TTL,
                b.maxTtl != null ? b.maxTtl : DEFAULT_MAX_TTL,
                b.rotation != null ? b.rotation : RefreshRotation.ROTATE,
                b.grace != null ? b.grace : Duration.ZERO,
                b.graceUses != null ? b.graceUses : 1,
                b.prefix != null ? b.prefix : DEFAULT_PREFIX,
                Optional.ofNullable(b.pepper),
                Optional.ofNullable(b.revocationCacheTtl),
                b.sessionCacheSize != null ? b.sessionCacheSize : DEFAULT_SESSION_CACHE));
        refresh.ifPresent(r -> {
            if (r.idleTtl().compareTo(r.maxTtl()) > 0) {
                throw new IllegalStateException("refreshTokenIdleTtl (" + r.idleTtl() + ") must not exceed "
                        + "refreshTokenMaxTtl (" + r.maxTtl() + ")");
            }
        });
        return new ServiceSettings(
                b.clock != null ? b.clock : Clock.systemUTC(),
                b.accessTokenTtl != null ? b.accessTokenTtl : DEFAULT_ACCESS_TOKEN_TTL,
                Optional.ofNullable(b.customizer),
                b.listener != null ? b.listener : TokenEventListener.none(),
                b.providerPolicy != null ? b.providerPolicy : ProviderPolicy.FASTEST,
                b.algorithms != null ? b.algorithms : Collections.unmodifiableSet(EnumSet.allOf(JwsAlgorithm.class)),
                b.additionalAudiences,
                Optional.ofNullable(b.idTokenTtl).map(ttl -> new IdTokenSettings(ttl,
                        Optional.ofNullable(b.idTokenCustomizer))),
                refresh);
    }

    /**
     * The service's validator: the options given for it on {@code b}, plus the ones it shares with the service, taken
     * from these settings. Built from a copy of its builder, so that {@code b} can build again.
     *
     * @throws IllegalStateException if issuer, audience or keys is missing
     */
    AccessTokenValidator validator(TokenService.Builder b) {
        AccessTokenValidator.Builder builder = b.validatorBuilder.copy()
                .clock(clock)
                .providerPolicy(providerPolicy)
                .eventListener(listener)
                .otherAudiences(additionalAudiences);
        if (b.algorithms != null) {
            builder.algorithms(algorithms.toArray(JwsAlgorithm[]::new));
        }
        refresh.ifPresent(r -> r.revocationCacheTtl().ifPresent(ttl -> builder.revocationAware(r.store(), ttl)));
        return builder.build();
    }

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
