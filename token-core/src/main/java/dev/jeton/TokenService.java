package dev.jeton;

import dev.jeton.internal.AccessTokenWriter;
import dev.jeton.internal.Base64Url;
import dev.jeton.internal.Events;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * {@code aud}, {@code exp}, {@code iat}, {@code jti}, {@code client_id}, {@code scope}, then the request's and the
 * customizer's claims. Validation is {@link AccessTokenValidator}'s, with the same issuer, audience, keys and clock.
 *
 * <p>Instances are immutable and thread-safe; build one and share it.
 */
public final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    private static final Duration MAX_ACCESS_TTL = Duration.ofDays(1);

    private final String issuer;
    private final String audience;
    private final KeyProvider keys;
    private final Clock clock;
    private final Duration accessTokenTtl;
    private final ClaimsCustomizer customizer;
    private final TokenEventListener listener;
    private final AccessTokenWriter writer;
    private final AccessTokenValidator validator;
    private final SecureRandom random = new SecureRandom();

    private TokenService(Builder b) {
        this.issuer = b.validator.issuer();
        this.audience = b.validator.audience();
        this.keys = b.validator.keys();
        this.clock = b.clock;
        this.accessTokenTtl = b.accessTokenTtl != null ? b.accessTokenTtl : Duration.ofMinutes(15);
        this.customizer = b.customizer;
        this.listener = b.listener != null ? b.listener : TokenEventListener.none();
        this.writer = new AccessTokenWriter(b.providerPolicy != null ? b.providerPolicy : ProviderPolicy.FASTEST);
        this.validator = b.validator;
    }

    /** Starts a builder. {@code issuer}, {@code audience} and {@code keys} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Issues tokens for a subject and client. Without a token store configured the pair holds an access token only.
     *
     * @throws KeyException if the key provider has no signing key or signing fails
     * @throws IllegalStateException if the claims customizer returns a reserved or invalid claim
     */
    public TokenPair issue(IssueRequest request) {
        Objects.requireNonNull(request, "request");
        Map<String, Object> extra = extraClaims(request);
        JwtKey key = keys.signingKey();
        Instant now = clock.instant();
        long iat = now.getEpochSecond();
        long exp = iat + accessTokenTtl.toSeconds();
        String jti = newJti();
        String token = writer.write(key, new AccessTokenWriter.Claims(issuer, request.subject(), audience, iat, exp,
                jti, request.clientId(), request.scopes(), null, extra));
        LOG.debug("issued access token jti={} client={} kid={}", jti, request.clientId(), key.kid());
        Events.publish(listener, new TokenEvent.Issued(now, jti, request.subject(), request.clientId(),
                Optional.empty()));
        return new TokenPair(token, jti, accessTokenTtl, Instant.ofEpochSecond(exp), request.scopes(),
                Optional.empty(), Optional.empty());
    }

    private Map<String, Object> extraClaims(IssueRequest request) {
        if (customizer == null) {
            return request.claims();
        }
        Map<String, Object> added = customizer.claims(request);
        if (added == null || added.isEmpty()) {
            return request.claims();
        }
        Map<String, Object> all = new LinkedHashMap<>(request.claims());
        for (Map.Entry<String, Object> e : added.entrySet()) {
            try {
                IssueRequest.checkClaimName(e.getKey());
                if (request.claims().containsKey(e.getKey())) {
                    throw new IllegalArgumentException("claim '" + e.getKey() + "' is already set by the request");
                }
                all.put(e.getKey(), dev.jeton.internal.Json.checkValue(e.getKey(), e.getValue()));
            } catch (IllegalArgumentException invalid) {
                throw new IllegalStateException("claims customizer: " + invalid.getMessage(), invalid);
            }
        }
        return all;
    }

    private String newJti() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64Url.encode(bytes);
    }

    /**
     * Validates an access token; see {@link AccessTokenValidator#validate(String)}.
     *
     * @throws InvalidTokenException with the reason the token was refused
     */
    public VerifiedAccessToken validate(String accessToken) {
        return validator.validate(accessToken);
    }

    /** The validator this service delegates to, to hand to code that only validates. */
    public AccessTokenValidator validator() {
        return validator;
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
        private final AccessTokenValidator.Builder validatorBuilder = AccessTokenValidator.builder();
        private AccessTokenValidator validator;
        private Clock clock;
        private Duration accessTokenTtl;
        private ClaimsCustomizer customizer;
        private TokenEventListener listener;
        private ProviderPolicy providerPolicy;

        Builder() {
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
            AccessTokenValidator.Builder.requireNotSet("clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            validatorBuilder.clock(clock);
            return this;
        }

        /** How long access tokens live. Default 15 minutes; between 1 second and 1 day, whole seconds. */
        public Builder accessTokenTtl(Duration ttl) {
            AccessTokenValidator.Builder.requireNotSet("accessTokenTtl", this.accessTokenTtl);
            Objects.requireNonNull(ttl, "accessTokenTtl");
            if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_ACCESS_TTL) > 0
                    || ttl.toNanos() % 1_000_000_000L != 0) {
                throw new IllegalArgumentException("accessTokenTtl must be whole seconds between 1 second and "
                        + MAX_ACCESS_TTL + ", got " + ttl);
            }
            this.accessTokenTtl = ttl;
            return this;
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
            AccessTokenValidator.Builder.requireNotSet("claimsCustomizer", this.customizer);
            this.customizer = Objects.requireNonNull(customizer, "claimsCustomizer");
            return this;
        }

        /** Receives issue and validation events. */
        public Builder eventListener(TokenEventListener listener) {
            AccessTokenValidator.Builder.requireNotSet("eventListener", this.listener);
            this.listener = Objects.requireNonNull(listener, "eventListener");
            validatorBuilder.eventListener(listener);
            return this;
        }

        /** Which JCA providers sign and verify. Default {@link ProviderPolicy#FASTEST}. */
        public Builder providerPolicy(ProviderPolicy policy) {
            AccessTokenValidator.Builder.requireNotSet("providerPolicy", this.providerPolicy);
            this.providerPolicy = Objects.requireNonNull(policy, "providerPolicy");
            validatorBuilder.providerPolicy(policy);
            return this;
        }

        /**
         * Builds the service.
         *
         * @throws IllegalStateException if issuer, audience or keys is missing
         */
        public TokenService build() {
            if (clock == null) {
                clock = Clock.systemUTC();
                validatorBuilder.clock(clock);
            }
            validator = validatorBuilder.build();
            return new TokenService(this);
        }
    }
}
