package dev.jeton;

import dev.jeton.internal.AccessTokenWriter;
import dev.jeton.internal.JwsSigner;
import dev.jeton.internal.Options;
import dev.jeton.internal.RefreshTokenCodec;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.TokenStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and validates tokens: the entry point an application calls from its login, refresh, logout and API
 * handlers.
 *
 * <pre>{@code
 * TokenService tokens = TokenService.builder()
 *     .issuer("https://auth.example.com")
 *     .audience("https://api.example.com")
 *     .keys(KeyProvider.of(JwtKey.generate(JwsAlgorithm.ES256)))
 *     .accessTokenTtl(Duration.ofMinutes(15))
 *     .build();
 *
 * TokenPair pair = tokens.issue(IssueRequest.forSubject("user-123").client("web").scopes("openid").build());
 * VerifiedAccessToken token = tokens.validate(pair.accessToken());
 * }</pre>
 *
 * <p>Access tokens follow RFC 9068: header {@code typ: at+jwt} and {@code kid}; claims {@code iss}, {@code sub},
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, {@code client_id}, {@code scope}, {@code sid} (the session,
 * when there is a store), then the request's and the customizer's claims. Validation is
 * {@link AccessTokenValidator}'s, with the same issuer, audience, keys and clock.
 *
 * <p>With a {@link TokenStore}, {@link #issue} also returns an opaque refresh token, and {@link #refresh},
 * {@link #revoke}, {@link #revokeAll}, {@link #sessions}, {@link #introspect} and {@link #purgeExpired} work. A
 * refresh checks, in this order, and a failed check consumes nothing: the token's shape (no store access), that it is
 * known, that it belongs to the presenting client, that the scopes asked for were granted; then one atomic step in
 * the store rotates it (or, in {@link RefreshRotation#REUSE} mode, slides its idle expiry). A rotated token presented
 * again within the grace window returns the same successor; outside it, it revokes its whole session (reuse
 * detection).
 *
 * <p>Instances are immutable and thread-safe; build one and share it.
 */
public final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final Duration MAX_ACCESS_TTL = Duration.ofDays(1);
    private static final Duration MAX_GRACE = Duration.ofSeconds(60);

    private final String issuer;
    private final Audiences audiences;
    private final KeyProvider keys;
    private final Clock clock;
    private final Set<JwsAlgorithm> algorithms;
    private final boolean idTokens;
    private final AccessTokenValidator validator;
    private final AccessTokenMinter minter;

    private final TokenStore store;
    private final RefreshTokenCodec refreshTokens;
    private final Duration maxTtl;
    private final RefreshFlow flow;
    private final Sessions sessions;
    private final Introspector introspector;

    private TokenService(ServiceSettings settings, AccessTokenValidator validator) {
        this.issuer = validator.issuer();
        this.audiences = new Audiences(validator.audience(), settings.additionalAudiences());
        this.keys = validator.keys();
        this.clock = settings.clock();
        this.algorithms = settings.algorithms();
        this.idTokens = settings.idTokens().isPresent();
        this.validator = validator;
        SecureRandom random = new SecureRandom();
        JwsSigner signer = new JwsSigner(settings.providerPolicy());
        this.minter = new AccessTokenMinter(issuer, audiences, keys, algorithms, settings.accessTokenTtl(),
                settings.customizer().orElse(null), new AccessTokenWriter(signer),
                settings.idTokens().map(id -> new IdTokens(issuer, id.ttl(), id.customizer().orElse(null), signer))
                        .orElse(null),
                validator.maxTokenLength(), settings.listener(), random);
        ServiceSettings.RefreshSettings refresh = settings.refresh().orElse(null);
        this.store = refresh == null ? null : refresh.store();
        this.refreshTokens = refresh == null ? null
                : new RefreshTokenCodec(refresh.prefix(), refresh.pepper().orElse(null), random);
        this.maxTtl = refresh == null ? null : refresh.maxTtl();
        this.flow = refresh == null ? null : new RefreshFlow(this, store, refreshTokens, clock, settings.listener(),
                refresh.idleTtl(), refresh.rotation(), refresh.grace(), refresh.graceUses(),
                refresh.sessionCacheSize());
        this.sessions = refresh == null ? null
                : new Sessions(store, refreshTokens, validator, settings.listener(), clock);
        this.introspector = new Introspector(issuer, store, refreshTokens, validator, clock);
    }

    /** Starts a builder. {@code issuer}, {@code audience} and {@code keys} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Issues tokens for a subject and client: an access token, and with a store a refresh token that starts a new
     * session (one login grant). The access token is signed before the session is stored, so a failure leaves no
     * session behind.
     *
     * <p>With {@linkplain Builder#idTokens ID tokens} on and {@code openid} among the scopes, an OpenID Connect ID
     * token comes too, signed before anything is stored.
     *
     * @throws InvalidTargetException if an audience asked for is not one this service issues for; nothing was stored
     * @throws KeyException if the key provider has no signing key or signing fails; nothing was stored
     * @throws TokenStoreException if the store fails; nothing was issued
     * @throws IllegalStateException if a claims customizer fails or returns a reserved or invalid claim, or a token
     *     would be longer than the validator accepts; nothing was stored
     */
    public TokenPair issue(IssueRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        if (store == null) {
            return minter.published(minter.mint(request, null, now, true), Optional.empty(), now, Optional.empty());
        }
        String reference = refreshTokens.newFamilyReference();
        String sessionId = RefreshTokenCodec.familyId(reference);
        AccessTokenMinter.Minted minted = minter.mint(request, sessionId, now, true);
        String refreshToken = refreshTokens.newToken(reference, 0);
        LoginRecord login = LoginRecord.of(request, now);
        RefreshFamily family = new RefreshFamily(sessionId, request.subject(), request.clientId(), request.scopes(),
                login.toJson(now), now, now.plus(maxTtl));
        store.createFamily(FamilyRecord.first(family, refreshTokens.hash(refreshToken), flow.idleExpiry(family, now)));
        flow.remember(family, login);
        LOG.debug("started session {} for client {}", family.id(), family.clientId());
        return minter.published(minted, Optional.of(refreshToken), now, Optional.of(family.expiresAt()));
    }

    /**
     * Issues an access token alone, for {@code client_credentials} and service-to-service calls: no refresh token, no
     * ID token, no session ({@code sid}), and nothing is written to the store, whether or not the service has one. The
     * request's scopes, claims and audiences apply as for {@link #issue}; its nonce and authentication facts are not
     * used. Such a token cannot be revoked by session; {@link #revoke} still denies its {@code jti}.
     *
     * @throws InvalidTargetException if an audience asked for is not one this service issues for
     * @throws KeyException if the key provider has no signing key or signing fails
     * @throws IllegalStateException if the claims customizer fails or returns a reserved or invalid claim, or the
     *     access token would be longer than the validator accepts
     */
    public TokenPair issueAccessToken(IssueRequest request) {
        Objects.requireNonNull(request, "request");
        Instant now = clock.instant();
        return minter.published(minter.mint(request, null, now, false), Optional.empty(), now, Optional.empty());
    }

    /**
     * Exchanges a refresh token for a new pair (RFC 6749 §6). The new access token carries the scopes and audiences
     * asked for (all granted if none); the refresh token keeps the grant. With {@linkplain Builder#idTokens ID tokens}
     * on and {@code openid} among the new access token's scopes, a new ID token comes too (OIDC Core §12.2): same
     * {@code iss}, {@code sub}, {@code aud}, {@code azp} and {@code auth_time} as the login's, a new {@code iat}, no
     * {@code nonce}; in {@link RefreshRotation#REUSE} mode too, with the same refresh token.
     *
     * <p>The checks run in this order, and only the last step writes:
     * <ol>
     *   <li>the token's shape (prefix, length, checksum), without the store: else {@code MALFORMED};</li>
     *   <li>that it is known: else {@code UNKNOWN};</li>
     *   <li>its state, before anything about the request is judged: a revoked session or token is {@code REVOKED},
     *       an expired one {@code EXPIRED}, and a rotated token outside its grace window is reuse: its session is
     *       revoked and the answer is {@code REUSED}. So a replayed or dead token gets the same {@code invalid_grant}
     *       whatever client or scope it comes with, and replay is always detected;</li>
     *   <li>for a usable token (current, or rotated within its grace window): the client ({@code CLIENT_MISMATCH}),
     *       then the scopes asked for ⊆ granted ({@link InvalidScopeException}), then the audiences asked for ⊆
     *       granted ({@link InvalidTargetException});</li>
     *   <li>all fallible work: the claims customizers, the signing key, the signatures of the access and ID
     *       tokens;</li>
     *   <li>one atomic, conditional step in the store (rotate, claim a grace use, or slide in
     *       {@link RefreshRotation#REUSE} mode). If the store refuses it, the state it read is classified as in step
     *       3 and the prepared tokens are thrown away.</li>
     * </ol>
     * Any failure before the last step, and any {@link TokenStoreException} that says so, leaves the presented token
     * as it was: a failed refresh consumes nothing.
     *
     * @throws InvalidGrantException if the token is malformed, unknown, expired, revoked, of another client, or
     *     reused (in which case its session is now revoked)
     * @throws InvalidScopeException if a scope asked for was not granted; the token was not consumed
     * @throws InvalidTargetException if an audience asked for was not granted; the token was not consumed
     * @throws KeyException if no signing key is available or signing fails; the token was not consumed
     * @throws TokenStoreException if the store fails; the token was not consumed, unless the exception's
     *     {@link TokenStoreException#outcomeUnknown()} is true (the store could not tell whether it rotated)
     * @throws IllegalStateException if this service has no store, or a claims customizer fails; the token was not
     *     consumed
     */
    public TokenPair refresh(RefreshRequest request) {
        Objects.requireNonNull(request, "request");
        requireStore("refresh");
        return flow.refresh(request);
    }

    /** {@link AccessTokenMinter#mint}, for the refresh flow. */
    AccessTokenMinter.Minted mint(IssueRequest request, String sessionId, Instant now, boolean mayHaveIdToken) {
        return minter.mint(request, sessionId, now, mayHaveIdToken);
    }

    /** {@link AccessTokenMinter#published}, for the refresh flow. */
    TokenPair published(AccessTokenMinter.Minted minted, Optional<String> refreshToken, Instant now,
                        Optional<Instant> sessionExpiresAt) {
        return minter.published(minted, refreshToken, now, sessionExpiresAt);
    }

    /** {@link Sessions#revoke(RefreshFamily, RevocationReason, Instant)}, for the refresh flow's reuse detection. */
    boolean revokeFamily(RefreshFamily family, RevocationReason reason, Instant now) {
        return sessions.revoke(family, reason, now);
    }

    Audiences audiences() {
        return audiences;
    }

    /**
     * Validates an access token; see {@link AccessTokenValidator#validate(String)}.
     *
     * @throws InvalidTokenException with the reason the token was refused
     * @throws TokenStoreException with {@link Builder#revocationAwareValidation}, if the store cannot say whether the
     *     token's session or {@code jti} was revoked (and no cached answer is fresh): the token is neither accepted nor
     *     refused, so answer 500 (or 503), never 200
     */
    public VerifiedAccessToken validate(String accessToken) {
        return validator.validate(accessToken);
    }

    /**
     * Revokes a token, of either kind (RFC 7009), whatever client it was issued to: a refresh token revokes its whole
     * session; an access token has its {@code jti} denied until it expires (seen by revocation-aware validation). An
     * empty, unknown, malformed, expired or foreign token is ignored, as RFC 7009 §2.2 asks. For a revocation
     * endpoint, where a client may revoke only its own tokens, use {@link #revoke(String, String)}.
     *
     * @throws TokenStoreException if the store fails
     * @throws IllegalStateException if this service has no store
     */
    public void revoke(String token) {
        revoke(Objects.requireNonNull(token, "token"), Optional.empty());
    }

    /**
     * Revokes a token of either kind if it was issued to {@code clientId} (RFC 7009 §2.1); a token of another client
     * is left alone, silently, so the answer does not reveal that it exists. Otherwise as {@link #revoke(String)}.
     *
     * @throws TokenStoreException if the store fails
     * @throws IllegalStateException if this service has no store
     */
    public void revoke(String token, String clientId) {
        revoke(Objects.requireNonNull(token, "token"), Optional.of(Objects.requireNonNull(clientId, "clientId")));
    }

    private void revoke(String token, Optional<String> clientId) {
        requireStore("revoke");
        sessions.revoke(token, clientId);
    }

    /**
     * Logs a subject out everywhere: revokes every live session of exactly {@code subject} (case and trailing spaces
     * count). A subject no request could carry has none.
     *
     * @return how many sessions were revoked
     * @throws TokenStoreException if the store fails (some sessions may already be revoked; call again)
     * @throws IllegalStateException if this service has no store
     */
    public int revokeAll(String subject) {
        requireStore("revokeAll");
        return sessions.revokeAll(subject);
    }

    /**
     * The live sessions of {@code subject}, oldest first, for a "your devices" page. Subjects are compared
     * exactly (case and trailing spaces count); a subject no request could carry has none.
     *
     * @throws TokenStoreException if the store fails
     * @throws IllegalStateException if this service has no store
     */
    public List<Session> sessions(String subject) {
        requireStore("sessions");
        return sessions.of(subject);
    }

    /**
     * Revokes one session of {@code subject}. A session of another subject is left alone, so one user cannot end
     * another's session by guessing its id.
     *
     * @return whether the session was live and is now revoked; false for an id or subject of a shape this service
     *     never issues, without asking the store
     * @throws TokenStoreException if the store fails
     * @throws IllegalStateException if this service has no store
     */
    public boolean revokeSession(String subject, String sessionId) {
        requireStore("revokeSession");
        return sessions.revokeSession(subject, sessionId);
    }

    /**
     * Token introspection (RFC 7662) for either kind of token. Anything not currently usable is
     * {@link Introspection#inactive()}, with no reason given. An access token of any audience this service issues
     * for is answered; with a store, one whose session or {@code jti} was revoked is inactive, whether or not
     * validation is revocation-aware, so a resource server's {@link IntrospectionClient} sees revocation.
     *
     * @throws TokenStoreException if the store fails, including the revocation check of revocation-aware validation
     */
    public Introspection introspect(String token) {
        return introspector.introspect(token);
    }

    /**
     * Deletes what can no longer matter: sessions past their absolute expiry with their tokens, and access-token
     * denials past their expiry, in bounded batches. Schedule it (hourly is plenty); it never removes a row that
     * could still detect reuse.
     *
     * @return how many rows were deleted (a store may also count the passed sealed successors it dropped)
     * @throws TokenStoreException if the store fails (earlier batches stay deleted; call again)
     * @throws IllegalStateException if this service has no store
     */
    public int purgeExpired() {
        requireStore("purgeExpired");
        return sessions.purgeExpired();
    }

    private void requireStore(String operation) {
        if (store == null) {
            throw new IllegalStateException(operation + " needs a token store; configure TokenService.builder()"
                    + ".store(...)");
        }
    }

    /**
     * Runs {@link #purgeExpired()} now and then every {@code interval} after the previous run ends, on a daemon
     * thread, until the returned scheduler is closed. A failed run is logged at WARN and counted, and the next run
     * goes ahead; handing {@code tokens::purgeExpired} to a {@code ScheduledExecutorService} instead stops for good
     * after the first exception. Any or every instance of an application may run one.
     *
     * @param interval the time from the end of one run to the start of the next (an hour is plenty)
     * @return the running schedule, with counters for monitoring; close it on shutdown
     * @throws IllegalArgumentException if {@code interval} is zero or negative
     * @throws IllegalStateException if this service has no store
     */
    public PurgeScheduler schedulePurge(Duration interval) {
        requireStore("schedulePurge");
        return PurgeScheduler.start(this::purgeExpired, clock, interval);
    }

    /** The validator this service delegates to, to hand to code that only validates. */
    public AccessTokenValidator validator() {
        return validator;
    }

    /**
     * Starts the authorization server metadata (RFC 8414, OpenID Connect Discovery) with what this service is
     * configured with: the issuer, the {@code refresh_token} grant with a store, and with ID tokens the {@code openid}
     * scope, {@code public} subjects and the algorithms of its keys. The host adds its endpoints and grants.
     */
    public AuthorizationServerMetadata.Builder metadata() {
        AuthorizationServerMetadata.Builder metadata = AuthorizationServerMetadata.builder(issuer);
        if (store != null) {
            metadata.grantTypes("refresh_token");
        }
        if (idTokens) {
            metadata.scopes(IdTokens.OPENID).idTokenSigningAlgorithms(keys.verificationKeys().stream()
                    .map(JwtKey::algorithm).filter(algorithms::contains).distinct().toArray(JwsAlgorithm[]::new));
        }
        return metadata;
    }

    /** The public JWK set of the service's keys (RFC 7517), for {@code /.well-known/jwks.json}. */
    public String jwksJson() {
        return keys.jwksJson();
    }

    /**
     * Builds a {@link TokenService}. Each setter checks its argument and may be called once; {@link #build()} checks
     * the required options and conflicts. Not thread-safe.
     */
    public static final class Builder {
        final AccessTokenValidator.Builder validatorBuilder = AccessTokenValidator.builder();
        Clock clock;
        Duration accessTokenTtl;
        ClaimsCustomizer customizer;
        TokenEventListener listener;
        ProviderPolicy providerPolicy;
        Set<JwsAlgorithm> algorithms;
        TokenStore store;
        Duration idleTtl;
        Duration maxTtl;
        RefreshRotation rotation;
        Duration grace;
        Integer graceUses;
        String prefix;
        byte[] pepper;
        Duration revocationCacheTtl;
        Integer sessionCacheSize;
        Set<String> additionalAudiences = Set.of();
        Duration idTokenTtl;
        IdTokenClaimsCustomizer idTokenCustomizer;

        Builder() {
        }

        /**
         * Further audiences this service issues access tokens for, beside {@link #audience}: the resources a request
         * may name (RFC 8707 resource indicators, {@link IssueRequest.Builder#audiences}); a refresh may narrow them.
         * Each resource server still validates for its own audience alone. This service's {@link #introspect} and
         * {@link #revoke} accept tokens of every audience it issues for; {@link #validate} only its
         * {@linkplain #audience own}.
         *
         * @throws IllegalArgumentException if one is blank or has control characters, or there are none or more than 16
         * @throws IllegalStateException if already set
         */
        public Builder additionalAudiences(String... audiences) {
            Options.requireNotSet("additionalAudiences", this.additionalAudiences.isEmpty() ? null
                    : this.additionalAudiences);
            if (audiences.length == 0) {
                throw new IllegalArgumentException("additionalAudiences must name at least one audience");
            }
            Set<String> set = new java.util.LinkedHashSet<>();
            for (String audience : audiences) {
                Options.requireText("additionalAudiences", audience);
                set.add(audience);
            }
            try {
                this.additionalAudiences = IssueRequest.checkAudiences(set);
            } catch (InvalidTargetException e) {
                throw new IllegalArgumentException("additionalAudiences: " + e.getMessage(), e);
            }
            return this;
        }

        /**
         * Issues an OpenID Connect ID token with the access token of every login and refresh whose scopes include
         * {@code openid} (OIDC Core §2, §12.2), living {@code ttl}. Off by default.
         *
         * @throws IllegalArgumentException if {@code ttl} is not whole seconds between 1 second and 1 day
         * @throws IllegalStateException if already set
         */
        public Builder idTokens(Duration ttl) {
            Options.requireNotSet("idTokens", this.idTokenTtl);
            this.idTokenTtl = ttl("idTokens", ttl);
            return this;
        }

        /** Adds claims to every ID token; needs {@link #idTokens}. See {@link IdTokenClaimsCustomizer}. */
        public Builder idTokenClaimsCustomizer(IdTokenClaimsCustomizer customizer) {
            Options.requireNotSet("idTokenClaimsCustomizer", this.idTokenCustomizer);
            this.idTokenCustomizer = Objects.requireNonNull(customizer, "idTokenClaimsCustomizer");
            return this;
        }

        /**
         * How many sessions' fixed parts (subject, client, scopes, claims, lifetime) this service keeps in memory, so
         * that refreshing one it knows costs the store a single conditional step and no read. Revocation and rotation
         * state is never cached. A session that is not in the cache costs its refresh one read more (two round
         * trips instead of one). Default 100,000, about 560 bytes a session with two scopes and no extra claims, so
         * some 56 MB when full: it fills only with the sessions this instance issues or refreshes, and when full keeps
         * the ones refreshed lately ({@code CLOCK} eviction). Size it to the sessions an instance serves; 0 turns it
         * off; at most 10,000,000.
         */
        public Builder sessionCache(int maximumSize) {
            Options.requireNotSet("sessionCache", this.sessionCacheSize);
            if (maximumSize < 0 || maximumSize > 10_000_000) {
                throw new IllegalArgumentException("sessionCache must be between 0 and 10,000,000, got "
                        + maximumSize);
            }
            this.sessionCacheSize = maximumSize;
            return this;
        }

        /** Where refresh-token state lives. Without a store, the service issues and validates access tokens only. */
        public Builder store(TokenStore store) {
            Options.requireNotSet("store", this.store);
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * How long a refresh token stays usable without being used; each refresh starts a new idle period, never past
         * the session's absolute expiry. Default 14 days.
         */
        public Builder refreshTokenIdleTtl(Duration ttl) {
            Options.requireNotSet("refreshTokenIdleTtl", this.idleTtl);
            this.idleTtl = positive("refreshTokenIdleTtl", ttl);
            return this;
        }

        /** The absolute lifetime of a session (a login), from issue; never extended. Default 90 days. */
        public Builder refreshTokenMaxTtl(Duration ttl) {
            Options.requireNotSet("refreshTokenMaxTtl", this.maxTtl);
            this.maxTtl = positive("refreshTokenMaxTtl", ttl);
            return this;
        }

        /** Rotate on each refresh ({@link RefreshRotation#ROTATE}, the default) or return the same token. */
        public Builder rotation(RefreshRotation rotation) {
            Options.requireNotSet("rotation", this.rotation);
            this.rotation = Objects.requireNonNull(rotation, "rotation");
            return this;
        }

        /**
         * How long after a rotation the rotated token may still be presented and get the <em>same</em> successor
         * back, for clients that retry a refresh whose response they lost. Default zero (strict: any second use is
         * reuse); at most 60 seconds. Only with {@link RefreshRotation#ROTATE}.
         */
        public Builder reuseGrace(Duration grace) {
            Options.requireNotSet("reuseGrace", this.grace);
            Objects.requireNonNull(grace, "reuseGrace");
            if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
                throw new IllegalArgumentException("reuseGrace must be between 0 and 60 seconds, got " + grace);
            }
            this.grace = grace;
            return this;
        }

        /** How many times the grace window may return the successor for one rotated token. Default 1; 1 to 100. */
        public Builder reuseGraceUses(int uses) {
            Options.requireNotSet("reuseGraceUses", this.graceUses);
            if (uses < 1 || uses > 100) {
                throw new IllegalArgumentException("reuseGraceUses must be between 1 and 100, got " + uses);
            }
            this.graceUses = uses;
            return this;
        }

        /**
         * The refresh-token prefix, so that secret scanners and people recognise the tokens: 2 to 16 lowercase letters
         * and digits starting with a letter. Default {@code jrt}.
         */
        public Builder refreshTokenPrefix(String prefix) {
            Options.requireNotSet("refreshTokenPrefix", this.prefix);
            RefreshTokenCodec.checkPrefix(prefix);
            this.prefix = prefix;
            return this;
        }

        /**
         * A secret of at least 32 bytes: refresh tokens are then stored as HMAC-SHA-256 under it instead of plain
         * SHA-256, so a stolen database cannot even confirm a guessed token. Keep it outside the database. The bytes
         * are copied.
         */
        public Builder refreshTokenPepper(byte[] pepper) {
            Options.requireNotSet("refreshTokenPepper", this.pepper == null ? null : "(set)");
            Objects.requireNonNull(pepper, "refreshTokenPepper");
            if (pepper.length < 32) {
                throw new IllegalArgumentException("refreshTokenPepper must be at least 32 bytes, got "
                        + pepper.length);
            }
            this.pepper = pepper.clone();
            return this;
        }

        /**
         * Makes validation refuse access tokens of revoked sessions and revoked {@code jti}s, asking the store; see
         * {@link AccessTokenValidator.Builder#revocationAware}. Needs {@link #store}.
         */
        public Builder revocationAwareValidation(Duration cacheTtl) {
            Options.requireNotSet("revocationAwareValidation", this.revocationCacheTtl);
            this.revocationCacheTtl = Objects.requireNonNull(cacheTtl, "cacheTtl");
            return this;
        }

        private static Duration positive(String option, Duration value) {
            Objects.requireNonNull(value, option);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(option + " must be positive, got " + value);
            }
            return value;
        }

        /** The {@code iss} of issued tokens, required exactly on validation. */
        public Builder issuer(String issuer) {
            validatorBuilder.issuer(issuer);
            return this;
        }

        /** The {@code aud} of issued tokens, required on validation. */
        public Builder audience(String audience) {
            validatorBuilder.audience(audience);
            return this;
        }

        /** Signing and verification keys. */
        public Builder keys(KeyProvider keys) {
            validatorBuilder.keys(keys);
            return this;
        }

        /** The clock for every timestamp and check. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            Options.requireNotSet("clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How long access tokens live. Default 15 minutes; between 1 second and 1 day, whole seconds. */
        public Builder accessTokenTtl(Duration ttl) {
            Options.requireNotSet("accessTokenTtl", this.accessTokenTtl);
            this.accessTokenTtl = ttl("accessTokenTtl", ttl);
            return this;
        }

        private static Duration ttl(String option, Duration ttl) {
            Objects.requireNonNull(ttl, option);
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_ACCESS_TTL) > 0
                    || ttl.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException(option + " must be whole seconds between 1 second and "
                        + MAX_ACCESS_TTL + ", got " + ttl);
            }
            return ttl;
        }

        /** Clock skew tolerated on validation; see {@link AccessTokenValidator.Builder#clockSkew(Duration)}. */
        public Builder clockSkew(Duration skew) {
            validatorBuilder.clockSkew(skew);
            return this;
        }

        /** Longest token accepted; see {@link AccessTokenValidator.Builder#maxTokenLength(int)}. */
        public Builder maxTokenLength(int maxTokenLength) {
            validatorBuilder.maxTokenLength(maxTokenLength);
            return this;
        }

        /** Verified-token cache; see {@link AccessTokenValidator.Builder#verifiedTokenCache(int)}. */
        public Builder verifiedTokenCache(int maximumSize) {
            validatorBuilder.verifiedTokenCache(maximumSize);
            return this;
        }

        /** Adds claims to every access token. */
        public Builder claimsCustomizer(ClaimsCustomizer customizer) {
            Options.requireNotSet("claimsCustomizer", this.customizer);
            this.customizer = Objects.requireNonNull(customizer, "claimsCustomizer");
            return this;
        }

        /** Receives issue and validation events. */
        public Builder eventListener(TokenEventListener listener) {
            Options.requireNotSet("eventListener", this.listener);
            this.listener = Objects.requireNonNull(listener, "eventListener");
            return this;
        }

        /** Which JCA providers sign and verify. Default {@link ProviderPolicy#FASTEST}. */
        public Builder providerPolicy(ProviderPolicy policy) {
            Options.requireNotSet("providerPolicy", this.providerPolicy);
            this.providerPolicy = Objects.requireNonNull(policy, "providerPolicy");
            return this;
        }

        /**
         * The JWS algorithms this service signs with and accepts, as {@link AccessTokenValidator.Builder#algorithms}:
         * validation refuses any other ({@link InvalidTokenException.Reason#ALGORITHM_NOT_ALLOWED}), issuing with a
         * signing key of any other fails with a {@link KeyException}, and {@link #metadata()} advertises only these.
         * By default every {@link JwsAlgorithm}; each token must still use exactly the algorithm its key is bound to.
         *
         * @throws IllegalArgumentException if none is given
         * @throws IllegalStateException if already set
         */
        public Builder algorithms(JwsAlgorithm... algorithms) {
            Options.requireNotSet("algorithms", this.algorithms);
            this.algorithms = Options.checkAlgorithms(algorithms);
            return this;
        }

        /**
         * Builds the service.
         *
         * @throws IllegalStateException if issuer, audience or keys is missing, or options conflict (refresh options
         *     without a store, idle lifetime above the absolute one, a grace window in REUSE mode, an ID token
         *     customizer without ID tokens)
         */
        public TokenService build() {
            ServiceSettings settings = ServiceSettings.of(this);
            return new TokenService(settings, settings.validator(this));
        }
    }
}
