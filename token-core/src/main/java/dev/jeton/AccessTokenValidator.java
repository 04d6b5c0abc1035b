package dev.jeton;

import static dev.jeton.internal.Options.requireNotSet;
import static dev.jeton.internal.Options.requireText;

import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.Events;
import dev.jeton.internal.JwsReader;
import dev.jeton.internal.Options;
import dev.jeton.internal.RevocationCache;
import dev.jeton.internal.VerifiedTokenCache;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates access tokens: compact JWS access tokens of the RFC 9068 profile, checked strictly (RFC 8725).
 * Usable on its own by a resource server that holds only public keys or a remote JWKS; {@link TokenService}
 * delegates to it.
 *
 * <pre>{@code
 * AccessTokenValidator validator = AccessTokenValidator.builder()
 *     .issuer("https://auth.example.com")
 *     .audience("https://api.example.com")
 *     .keys(RemoteJwksKeyProvider.builder(URI.create("https://auth.example.com/.well-known/jwks.json")).build())
 *     .build();
 * VerifiedAccessToken token = validator.validate(bearerToken);
 * }</pre>
 *
 * <p>The checks, in order, each failing with its own {@link Reason}:
 * <ol>
 *   <li>length at most {@link Builder#maxTokenLength(int)} (default 8 KiB), before any decoding: TOO_LARGE;</li>
 *   <li>three non-empty segments of canonical, unpadded base64url; a five-segment JWE is refused; the header a
 *       JSON object in UTF-8 without duplicate members: MALFORMED;</li>
 *   <li>{@code alg} a known algorithm in the allow-list, never {@code none} in any case:
 *       ALGORITHM_NOT_ALLOWED;</li>
 *   <li>no {@code zip}, {@code crit}, {@code b64}, {@code cty}, {@code jku}, {@code jwk}, {@code x5u},
 *       {@code x5c}: UNSUPPORTED_HEADER;</li>
 *   <li>{@code typ} is {@code at+jwt} or {@code application/at+jwt}: WRONG_TYPE (so an OIDC ID token, {@code typ}
 *       {@code JWT}, is never taken for an access token);</li>
 *   <li>{@code kid} names a key of the key set: UNKNOWN_KEY; and that key's algorithm is {@code alg}:
 *       ALGORITHM_NOT_ALLOWED;</li>
 *   <li>the signature verifies: BAD_SIGNATURE;</li>
 *   <li>the claims are a JSON object without duplicates; {@code sub}, {@code client_id}, {@code jti} non-empty
 *       strings; {@code exp}, {@code iat} (and {@code nbf} if present) JSON numbers: MALFORMED;</li>
 *   <li>{@code iss} exactly the issuer: WRONG_ISSUER; {@code aud} contains the audience: WRONG_AUDIENCE;</li>
 *   <li>{@code exp} after now less the skew, else EXPIRED (RFC 7519: expired "on or after" {@code exp});
 *       {@code nbf} and {@code iat} not after now plus the skew, else NOT_YET_VALID;</li>
 *   <li>when {@linkplain Builder#revocationAware revocation-aware}: neither its session ({@code sid}) nor its
 *       {@code jti} revoked, else REVOKED; with a {@linkplain Builder#revocationCheck remote revocation check}, the
 *       introspection endpoint still calls it active, else REVOKED.</li>
 * </ol>
 *
 * <p>Instances are immutable and thread-safe; build one and share it.
 */
public final class AccessTokenValidator {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenValidator.class);

    private static final Duration MAX_SKEW = Options.MAX_SKEW;

    private final String issuer;
    private final String audience;
    private final KeyProvider keys;
    private final Clock clock;
    private final long skewMillis;
    private final int maxTokenLength;
    private final JwsReader reader;
    private final AccessTokenClaims claims;
    private final VerifiedTokenCache cache;
    private final TokenEventListener listener;
    private final RevocationCache revocations;
    private final IntrospectionClient introspection;

    private AccessTokenValidator(Builder b) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.keys = b.keys;
        this.clock = b.clockOrDefault();
        this.skewMillis = b.skewMillis();
        this.maxTokenLength = b.maxTokenLengthOrDefault();
        this.reader = b.reader(JwsReader.Kind.ACCESS_TOKEN);
        this.claims = new AccessTokenClaims(issuer, audience, b.otherAudiences, clock, skewMillis);
        this.cache = b.cacheSize > 0 ? new VerifiedTokenCache(b.cacheSize) : null;
        this.listener = b.listener != null ? b.listener : TokenEventListener.none();
        this.revocations = b.revocationStore != null
                ? new RevocationCache(b.revocationStore, b.revocationCacheTtl.toMillis()) : null;
        this.introspection = b.introspection;
    }

    /** Starts a builder. {@code issuer}, {@code audience} and {@code keys} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Validates an access token (the bare token, without {@code Bearer }).
     *
     * @return the verified claims
     * @throws InvalidTokenException with the reason the token was refused; its message never contains the token
     * @throws KeyException if the key set cannot be obtained (a remote JWKS that never answered)
     * @throws TokenStoreException with {@link Builder#revocationAware revocation-aware validation}, if the store
     *     cannot say whether the token was revoked and no cached answer is fresh: the token is neither accepted nor
     *     refused, so answer 500 (or 503), never 200
     * @throws IntrospectionException with a {@link Builder#revocationCheck remote revocation check} that fails closed,
     *     if the introspection endpoint cannot answer and no cached answer is fresh: answer 503, never 200
     */
    public VerifiedAccessToken validate(String token) {
        return validate(token, true, false);
    }

    /**
     * Validates; with {@code report} false a refusal is neither logged nor sent as an event (RFC 7009 revoke); with
     * {@code anyAudience} any audience the owning service issues for is accepted (its introspection and revocation).
     */
    VerifiedAccessToken validate(String token, boolean report, boolean anyAudience) {
        try {
            return doValidate(token, anyAudience);
        } catch (InvalidTokenException e) {
            if (report) {
                LOG.debug("access token refused: {}", e.getMessage());
                Events.publish(listener, new TokenEvent.ValidationFailed(clock.instant(), e.reason()));
            }
            throw e;
        }
    }

    private VerifiedAccessToken doValidate(String token, boolean anyAudience) {
        if (token == null || token.isEmpty()) {
            throw new InvalidTokenException(Reason.MALFORMED, "no token");
        }
        int length = token.length();
        if (length > maxTokenLength) {
            throw new InvalidTokenException(Reason.TOO_LARGE,
                    "token of " + length + " characters exceeds the limit of " + maxTokenLength);
        }
        if (cache != null) {
            VerifiedTokenCache.Entry hit = cache.get(token);
            if (hit != null) {
                VerifiedAccessToken verified = checkCached(token, hit);
                if (verified != null) {
                    claims.checkAudience(verified.audience(), anyAudience);
                    checkRevocation(token, verified);
                    return verified;
                }
            }
        }
        VerifiedAccessToken verified;
        JwtKey key;
        try {
            JwsReader.Verified read = reader.read(token);
            key = read.key();
            verified = claims.judge(read.claims(), key, read.algorithm(), anyAudience);
        } catch (JwsReader.Refused e) {
            throw new InvalidTokenException(Reason.valueOf(e.problem().name()), e.getMessage());
        }
        checkRevocation(token, verified);
        if (cache != null) {
            cache.put(token, new VerifiedTokenCache.Entry(verified, key, verified.expiresAt().toEpochMilli(),
                    verified.notBefore().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE)));
        }
        return verified;
    }

    private VerifiedAccessToken checkCached(String token, VerifiedTokenCache.Entry hit) {
        long now = clock.millis();
        if (hit.expiresAtMillis() <= now - skewMillis) {
            cache.remove(token);
            throw new InvalidTokenException(Reason.EXPIRED, JwsReader.timeMessage("token expired at",
                    hit.expiresAtMillis(), now, skewMillis));
        }
        if (hit.notBeforeMillis() > now + skewMillis) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, JwsReader.timeMessage("token not valid before",
                    hit.notBeforeMillis(), now, skewMillis));
        }
        JwtKey current = keys.verificationKey(hit.key().kid()).orElse(null);
        if (current != hit.key()) {
            // The key was removed or replaced since: forget the entry and validate from scratch.
            cache.remove(token);
            return null;
        }
        return hit.token();
    }

    private void checkRevocation(String raw, VerifiedAccessToken token) {
        if (introspection != null) {
            introspection.check(raw, token);
            return;
        }
        if (revocations == null) {
            return;
        }
        RevocationStatus status = revocations.status(token.sessionId(), token.jti(), clock.instant());
        if (status.sessionRevoked()) {
            throw new InvalidTokenException(Reason.REVOKED, "session " + token.sessionId().get() + " was revoked");
        }
        if (status.accessTokenRevoked()) {
            throw new InvalidTokenException(Reason.REVOKED, "access token " + token.jti() + " was revoked");
        }
    }

    /** Records a session revoked through the owning service, so it takes effect here at once. */
    void sessionRevoked(String sessionId) {
        if (revocations != null) {
            revocations.familyRevoked(sessionId);
        }
    }

    /** Records an access token revoked through the owning service, so it takes effect here at once. */
    void accessTokenRevoked(String jti) {
        if (revocations != null) {
            revocations.accessTokenRevoked(jti);
        }
    }

    String issuer() {
        return issuer;
    }

    /** Whether validation itself asks about revocation (a store, or an introspection endpoint). */
    boolean checksRevocation() {
        return revocations != null || introspection != null;
    }

    String audience() {
        return audience;
    }

    KeyProvider keys() {
        return keys;
    }

    int maxTokenLength() {
        return maxTokenLength;
    }

    /**
     * Builds an {@link AccessTokenValidator}. Each setter checks its argument and may be called once; {@link #build()}
     * checks that the required options are set. Not thread-safe.
     */
    public static final class Builder extends JwsValidatorBuilder<Builder> {
        private String audience;
        private int cacheSize;
        private TokenEventListener listener;
        private TokenStore revocationStore;
        private Duration revocationCacheTtl;
        private IntrospectionClient introspection;
        private Set<String> otherAudiences = Set.of();

        Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** The other audiences the owning service issues for, accepted by its introspection and revocation only. */
        Builder otherAudiences(Set<String> audiences) {
            this.otherAudiences = Set.copyOf(audiences);
            return this;
        }


        /** The audience that {@code aud} must contain, e.g. {@code https://api.example.com}. */
        public Builder audience(String audience) {
            requireNotSet("audience", this.audience);
            this.audience = requireText("audience", audience);
            return this;
        }







        /**
         * Keeps up to {@code maximumSize} verified tokens, so that a token seen again skips signature verification.
         * A hit still checks {@code exp} and {@code nbf} against the clock and that its key is still in the key set.
         * Off by default.
         */
        public Builder verifiedTokenCache(int maximumSize) {
            requireNotSet("verifiedTokenCache", this.cacheSize == 0 ? null : this.cacheSize);
            if (maximumSize < 1 || maximumSize > 10_000_000) {
                throw new IllegalArgumentException("verifiedTokenCache size must be between 1 and 10000000, got "
                        + maximumSize);
            }
            this.cacheSize = maximumSize;
            return this;
        }

        /**
         * Refuses, with {@link Reason#REVOKED}, tokens whose session ({@code sid}) is revoked and tokens whose
         * {@code jti} was revoked, by asking {@code store}. A store's "not revoked" answer is trusted for
         * {@code cacheTtl} (at most five minutes; zero asks on every validation), so a revocation made elsewhere
         * takes effect here within that time; revocations made through the same {@link TokenService} at once,
         * even while a validation's lookup that read the store before the revocation is still in flight (that
         * validation may pass; its "not revoked" answer is not kept). A "revoked" answer is kept: revocation is
         * final. An answer's age is measured on the builder's clock; if that clock steps back, answers stamped
         * after the new time count as expired, so a step back never stretches the TTL. Off by default.
         *
         * @throws IllegalArgumentException if {@code cacheTtl} is negative or longer than five minutes
         * @throws IllegalStateException if already set
         */
        public Builder revocationAware(TokenStore store, Duration cacheTtl) {
            requireNotSet("revocationAware", this.revocationStore);
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            if (cacheTtl.isNegative() || cacheTtl.compareTo(MAX_SKEW) > 0) {
                throw new IllegalArgumentException("revocation cacheTtl must be between 0 and " + MAX_SKEW + ", got "
                        + cacheTtl);
            }
            this.revocationStore = Objects.requireNonNull(store, "store");
            this.revocationCacheTtl = cacheTtl;
            return this;
        }

        /**
         * Refuses, with {@link Reason#REVOKED}, tokens that the authorization server's introspection endpoint (RFC
         * 7662) no longer calls active: revocation a resource server that holds only the JWKS can see. The client asks
         * only for tokens that passed every other check, and caches its answers briefly; what happens when the
         * endpoint cannot answer is the client's {@link IntrospectionClient.Builder#onFailure explicit choice}. Not
         * with {@link #revocationAware}, which asks a store directly.
         *
         * @throws IllegalStateException if already set
         */
        public Builder revocationCheck(IntrospectionClient client) {
            requireNotSet("revocationCheck", this.introspection);
            this.introspection = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Receives a {@link TokenEvent.ValidationFailed} per refused token. */
        public Builder eventListener(TokenEventListener listener) {
            requireNotSet("eventListener", this.listener);
            this.listener = Objects.requireNonNull(listener, "eventListener");
            return this;
        }

        /**
         * Builds the validator.
         *
         * @throws IllegalStateException if issuer, audience or keys is missing, or both {@link #revocationAware} and
         *     {@link #revocationCheck} are set (choose one source of revocation)
         */
        public AccessTokenValidator build() {
            if (revocationStore != null && introspection != null) {
                throw new IllegalStateException("revocationAware(store, ...) and revocationCheck(introspection) are "
                        + "both set; a validator asks one source of revocation: the store where it can reach it, "
                        + "else the introspection endpoint");
            }
            checkRequired();
            return new AccessTokenValidator(this);
        }

        /** A new builder with this one's options, to add to without changing this one. */
        Builder copy() {
            Builder copy = copyInto(new Builder());
            copy.audience = audience;
            copy.cacheSize = cacheSize;
            copy.listener = listener;
            copy.revocationStore = revocationStore;
            copy.revocationCacheTtl = revocationCacheTtl;
            copy.introspection = introspection;
            copy.otherAudiences = otherAudiences;
            return copy;
        }

        /** Throws unless issuer, audience and keys are set. */
        void checkRequired() {
            if (issuer == null || audience == null || keys == null) {
                throw new IllegalStateException("issuer, audience and keys are required"
                        + (issuer == null ? "; issuer(...) is missing" : "")
                        + (audience == null ? "; audience(...) is missing" : "")
                        + (keys == null ? "; keys(...) is missing" : ""));
            }
        }
    }
}
