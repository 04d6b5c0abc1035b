package dev.jeton;

import static dev.jeton.internal.Options.requireNotSet;
import static dev.jeton.internal.Options.requireText;

import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.Base64Url;
import dev.jeton.internal.Events;
import dev.jeton.internal.Json;
import dev.jeton.internal.PreparedKeys;
import dev.jeton.internal.RevocationCache;
import dev.jeton.internal.Scopes;
import dev.jeton.internal.VerifiedTokenCache;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.TokenStore;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *   <li>{@code typ} is {@code at+jwt} or {@code application/at+jwt}: WRONG_TYPE;</li>
 *   <li>{@code kid} names a key of the key set: UNKNOWN_KEY; and that key's algorithm is {@code alg}:
 *       ALGORITHM_NOT_ALLOWED;</li>
 *   <li>the signature verifies: BAD_SIGNATURE;</li>
 *   <li>the claims are a JSON object without duplicates; {@code sub}, {@code client_id}, {@code jti} non-empty
 *       strings; {@code exp}, {@code iat} (and {@code nbf} if present) JSON numbers: MALFORMED;</li>
 *   <li>{@code iss} exactly the issuer: WRONG_ISSUER; {@code aud} contains the audience: WRONG_AUDIENCE;</li>
 *   <li>{@code exp} after now less the skew, else EXPIRED (RFC 7519: expired "on or after" {@code exp});
 *       {@code nbf} and {@code iat} not after now plus the skew, else NOT_YET_VALID;</li>
 *   <li>when {@linkplain Builder#revocationAware revocation-aware}: neither its family ({@code sid}) nor its
 *       {@code jti} revoked, else REVOKED.</li>
 * </ol>
 *
 * <p>Instances are immutable and thread-safe; build one and share it.
 */
public final class AccessTokenValidator {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTokenValidator.class);

    /** Header parameters whose presence refuses a token. */
    private static final List<String> UNSUPPORTED_HEADERS =
            List.of("zip", "crit", "b64", "cty", "jku", "jwk", "x5u", "x5c");
    private static final Duration MAX_SKEW = Duration.ofMinutes(5);
    private static final int MIN_TOKEN_LENGTH_LIMIT = 256;
    private static final int MAX_TOKEN_LENGTH_LIMIT = 1024 * 1024;

    private final String issuer;
    private final String audience;
    private final KeyProvider keys;
    private final Clock clock;
    private final long skewMillis;
    private final int maxTokenLength;
    private final Set<JwsAlgorithm> algorithms;
    private final PreparedKeys preparedKeys;
    private final VerifiedTokenCache cache;
    private final TokenEventListener listener;
    private final RevocationCache revocations;

    private AccessTokenValidator(Builder b) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.keys = b.keys;
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.skewMillis = b.clockSkew != null ? b.clockSkew.toMillis() : 0;
        this.maxTokenLength = b.maxTokenLength > 0 ? b.maxTokenLength : 8 * 1024;
        this.algorithms = b.algorithms != null ? b.algorithms : EnumSet.allOf(JwsAlgorithm.class);
        this.preparedKeys = new PreparedKeys(b.providerPolicy != null ? b.providerPolicy : ProviderPolicy.FASTEST);
        this.cache = b.cacheSize > 0 ? new VerifiedTokenCache(b.cacheSize) : null;
        this.listener = b.listener != null ? b.listener : TokenEventListener.none();
        this.revocations = b.revocationStore != null
                ? new RevocationCache(b.revocationStore, b.revocationCacheTtl.toMillis()) : null;
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
     */
    public VerifiedAccessToken validate(String token) {
        return validate(token, true);
    }

    /** Validates; with {@code report} false a refusal is neither logged nor sent as an event (RFC 7009 revoke). */
    VerifiedAccessToken validate(String token, boolean report) {
        try {
            return doValidate(token);
        } catch (InvalidTokenException e) {
            if (report) {
                LOG.debug("access token refused: {}", e.getMessage());
                Events.publish(listener, new TokenEvent.ValidationFailed(clock.instant(), e.reason()));
            }
            throw e;
        }
    }

    private VerifiedAccessToken doValidate(String token) {
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
                    checkRevocation(verified);
                    return verified;
                }
            }
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0) {
            throw new InvalidTokenException(Reason.MALFORMED, "not a compact JWS (three dot-separated parts)");
        }
        if (token.indexOf('.', dot2 + 1) >= 0) {
            throw new InvalidTokenException(Reason.MALFORMED, dots(token) == 4
                    ? "encrypted tokens (JWE) are not accepted" : "not a compact JWS (three dot-separated parts)");
        }
        if (dot1 == 0 || dot2 == dot1 + 1 || dot2 == length - 1) {
            throw new InvalidTokenException(Reason.MALFORMED, "empty header, payload or signature");
        }
        if (!Base64Url.isCanonical(token, 0, dot1) || !Base64Url.isCanonical(token, dot1 + 1, dot2)
                || !Base64Url.isCanonical(token, dot2 + 1, length)) {
            throw new InvalidTokenException(Reason.MALFORMED, "not canonical unpadded base64url");
        }

        Map<String, Object> header = parseJson(token, 0, dot1, "header");
        JwsAlgorithm alg = checkHeader(header);
        JwtKey key = findKey(header, alg);

        byte[] signingInput = new byte[dot2];
        for (int i = 0; i < dot2; i++) {
            signingInput[i] = (byte) token.charAt(i);
        }
        byte[] signature = Base64Url.decodeChecked(token, dot2 + 1, length);
        PreparedKeys.Prepared prepared = preparedKeys.get(key);
        if (!prepared.verify(signingInput, signature)) {
            throw new InvalidTokenException(Reason.BAD_SIGNATURE, "signature does not verify with key '"
                    + key.kid() + "'");
        }

        Map<String, Object> claims = parseJson(token, dot1 + 1, dot2, "claims");
        VerifiedAccessToken verified = checkClaims(claims, key, alg);
        checkRevocation(verified);
        if (cache != null) {
            cache.put(token, new VerifiedTokenCache.Entry(verified, key, verified.expiresAt().toEpochMilli(),
                    verified.notBefore().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE)), clock.millis());
        }
        return verified;
    }

    private VerifiedAccessToken checkCached(String token, VerifiedTokenCache.Entry hit) {
        long now = clock.millis();
        if (hit.expiresAtMillis() <= now - skewMillis) {
            cache.remove(token);
            throw new InvalidTokenException(Reason.EXPIRED, "token expired at " + hit.token().expiresAt());
        }
        if (hit.notBeforeMillis() > now + skewMillis) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "token not valid before "
                    + hit.token().notBefore().orElseThrow());
        }
        JwtKey current = keys.verificationKey(hit.key().kid()).orElse(null);
        if (current != hit.key()) {
            // The key was removed or replaced since: forget the entry and validate from scratch.
            cache.remove(token);
            return null;
        }
        return hit.token();
    }

    private void checkRevocation(VerifiedAccessToken token) {
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

    /** Records a revocation made through the owning service, so it takes effect here at once. */
    void revoked(String familyId, String jti) {
        if (revocations != null) {
            if (familyId != null) {
                revocations.familyRevoked(familyId);
            }
            if (jti != null) {
                revocations.accessTokenRevoked(jti);
            }
        }
    }

    private static int dots(String token) {
        int count = 0;
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                count++;
            }
        }
        return count;
    }

    private static Map<String, Object> parseJson(String token, int from, int to, String what) {
        try {
            // Header members set to null still count as present: "crit": null is refused like any crit.
            return Json.parseObject(Base64Url.decodeChecked(token, from, to), from == 0);
        } catch (Json.JsonException e) {
            throw new InvalidTokenException(Reason.MALFORMED, what + ": " + e.getMessage());
        }
    }

    private JwsAlgorithm checkHeader(Map<String, Object> header) {
        Object algValue = header.get("alg");
        if (!(algValue instanceof String algId)) {
            throw new InvalidTokenException(Reason.MALFORMED, "header has no alg string");
        }
        if ("none".equalsIgnoreCase(algId)) {
            throw new InvalidTokenException(Reason.ALGORITHM_NOT_ALLOWED, "unsecured tokens (alg none) are refused");
        }
        if (header.containsKey("enc")) {
            throw new InvalidTokenException(Reason.MALFORMED, "encrypted tokens (JWE) are not accepted");
        }
        JwsAlgorithm alg = JwsAlgorithm.fromId(algId).orElse(null);
        if (alg == null || !algorithms.contains(alg)) {
            throw new InvalidTokenException(Reason.ALGORITHM_NOT_ALLOWED, "algorithm is not in the allow-list");
        }
        for (String name : UNSUPPORTED_HEADERS) {
            if (header.containsKey(name)) {
                throw new InvalidTokenException(Reason.UNSUPPORTED_HEADER, "header parameter '" + name
                        + "' is not accepted");
            }
        }
        Object typ = header.get("typ");
        if (!(typ instanceof String type)
                || !("at+jwt".equalsIgnoreCase(type) || "application/at+jwt".equalsIgnoreCase(type))) {
            throw new InvalidTokenException(Reason.WRONG_TYPE, "typ is not at+jwt (RFC 9068)");
        }
        return alg;
    }

    private JwtKey findKey(Map<String, Object> header, JwsAlgorithm alg) {
        Object kidValue = header.get("kid");
        if (!(kidValue instanceof String kid) || kid.isEmpty()) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY, "header has no kid");
        }
        JwtKey key = keys.verificationKey(kid).orElse(null);
        if (key == null) {
            throw new InvalidTokenException(Reason.UNKNOWN_KEY, "kid names no key of the key set");
        }
        if (key.algorithm() != alg) {
            throw new InvalidTokenException(Reason.ALGORITHM_NOT_ALLOWED, "key '" + kid + "' is bound to "
                    + key.algorithm() + ", not to the token's alg");
        }
        return key;
    }

    private VerifiedAccessToken checkClaims(Map<String, Object> claims, JwtKey key, JwsAlgorithm alg) {
        String sub = requiredString(claims, "sub");
        String clientId = requiredString(claims, "client_id");
        String jti = requiredString(claims, "jti");
        long exp = numericDateMillis(claims, "exp", true);
        long iat = numericDateMillis(claims, "iat", true);
        long nbf = numericDateMillis(claims, "nbf", false);
        Object scopeValue = claims.get("scope");
        Set<String> scopes;
        if (scopeValue == null) {
            scopes = Set.of();
        } else if (scopeValue instanceof String scope) {
            try {
                scopes = Scopes.parse(scope);
            } catch (IllegalArgumentException e) {
                throw new InvalidTokenException(Reason.MALFORMED, "claim 'scope' is not a space-separated list");
            }
        } else {
            throw new InvalidTokenException(Reason.MALFORMED, "claim 'scope' is not a string");
        }
        Object sid = claims.get("sid");
        if (sid != null && !(sid instanceof String)) {
            throw new InvalidTokenException(Reason.MALFORMED, "claim 'sid' is not a string");
        }

        if (!issuer.equals(claims.get("iss"))) {
            throw new InvalidTokenException(Reason.WRONG_ISSUER, "iss is not '" + issuer + "'");
        }
        List<String> aud = audience(claims.get("aud"));
        if (!aud.contains(audience)) {
            throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "aud does not contain '" + audience + "'");
        }

        long now = clock.millis();
        if (exp <= now - skewMillis) {
            throw new InvalidTokenException(Reason.EXPIRED, "token expired at " + Instant.ofEpochMilli(exp));
        }
        if (nbf != Long.MIN_VALUE && nbf > now + skewMillis) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "token not valid before "
                    + Instant.ofEpochMilli(nbf));
        }
        if (iat > now + skewMillis) {
            throw new InvalidTokenException(Reason.NOT_YET_VALID, "token issued in the future, at "
                    + Instant.ofEpochMilli(iat));
        }
        return new VerifiedAccessToken(sub, clientId, issuer, aud, scopes, jti, Instant.ofEpochMilli(iat),
                Instant.ofEpochMilli(exp), nbf == Long.MIN_VALUE ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(nbf)), Optional.ofNullable((String) sid), key.kid(), alg, claims);
    }

    private static String requiredString(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw new InvalidTokenException(Reason.MALFORMED, "claim '" + name + "' must be a non-empty string");
        }
        return s;
    }

    /** A NumericDate (RFC 7519 §2) as epoch milliseconds; it must be a JSON number, never a string. */
    private static long numericDateMillis(Map<String, Object> claims, String name, boolean required) {
        Object value = claims.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidTokenException(Reason.MALFORMED, "claim '" + name + "' is required");
            }
            return Long.MIN_VALUE;
        }
        if (value instanceof Long seconds) {
            if (seconds < 0 || seconds > Long.MAX_VALUE / 1000) {
                throw new InvalidTokenException(Reason.MALFORMED, "claim '" + name + "' is out of range");
            }
            return seconds * 1000;
        }
        if (value instanceof Double seconds) {
            if (!(seconds >= 0 && seconds < Long.MAX_VALUE / 1000.0)) {
                throw new InvalidTokenException(Reason.MALFORMED, "claim '" + name + "' is out of range");
            }
            return (long) Math.floor(seconds * 1000);
        }
        if (value instanceof BigInteger) {
            throw new InvalidTokenException(Reason.MALFORMED, "claim '" + name + "' is out of range");
        }
        throw new InvalidTokenException(Reason.MALFORMED, "claim '" + name + "' must be a JSON number");
    }

    private static List<String> audience(Object aud) {
        if (aud instanceof String single) {
            return List.of(single);
        }
        if (aud instanceof List<?> list) {
            for (Object element : list) {
                if (!(element instanceof String)) {
                    throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "aud holds a non-string value");
                }
            }
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) list;
            return strings;
        }
        throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "aud is missing");
    }

    String issuer() {
        return issuer;
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
    public static final class Builder {
        private String issuer;
        private String audience;
        private KeyProvider keys;
        private Clock clock;
        private Duration clockSkew;
        private int maxTokenLength;
        private Set<JwsAlgorithm> algorithms;
        private ProviderPolicy providerPolicy;
        private int cacheSize;
        private TokenEventListener listener;
        private TokenStore revocationStore;
        private Duration revocationCacheTtl;

        Builder() {
        }

        /** The exact {@code iss} to require, e.g. {@code https://auth.example.com}. No normalisation is applied. */
        public Builder issuer(String issuer) {
            requireNotSet("issuer", this.issuer);
            this.issuer = requireText("issuer", issuer);
            return this;
        }

        /** The audience that {@code aud} must contain, e.g. {@code https://api.example.com}. */
        public Builder audience(String audience) {
            requireNotSet("audience", this.audience);
            this.audience = requireText("audience", audience);
            return this;
        }

        /** The keys that verify tokens. */
        public Builder keys(KeyProvider keys) {
            requireNotSet("keys", this.keys);
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** The clock for every time check. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            requireNotSet("clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Tolerance for clocks that disagree, applied to {@code exp}, {@code nbf} and {@code iat}. Default zero;
         * at most five minutes.
         */
        public Builder clockSkew(Duration skew) {
            requireNotSet("clockSkew", this.clockSkew);
            Objects.requireNonNull(skew, "clockSkew");
            if (skew.isNegative() || skew.compareTo(MAX_SKEW) > 0) {
                throw new IllegalArgumentException("clockSkew must be between 0 and " + MAX_SKEW + ", got " + skew);
            }
            this.clockSkew = skew;
            return this;
        }

        /**
         * The longest token accepted, in characters, checked before any decoding. Default 8192; between 256 and
         * 1048576.
         */
        public Builder maxTokenLength(int maxTokenLength) {
            requireNotSet("maxTokenLength", this.maxTokenLength == 0 ? null : this.maxTokenLength);
            if (maxTokenLength < MIN_TOKEN_LENGTH_LIMIT || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
                throw new IllegalArgumentException("maxTokenLength must be between " + MIN_TOKEN_LENGTH_LIMIT
                        + " and " + MAX_TOKEN_LENGTH_LIMIT + ", got " + maxTokenLength);
            }
            this.maxTokenLength = maxTokenLength;
            return this;
        }

        /**
         * Narrows the algorithms accepted. By default every {@link JwsAlgorithm} is allowed, and each token must
         * still use exactly the algorithm its key is bound to.
         */
        public Builder algorithms(JwsAlgorithm... algorithms) {
            requireNotSet("algorithms", this.algorithms);
            if (algorithms.length == 0) {
                throw new IllegalArgumentException("algorithms must name at least one algorithm");
            }
            this.algorithms = Collections.unmodifiableSet(EnumSet.copyOf(Arrays.asList(algorithms)));
            return this;
        }

        /** Which JCA providers verify signatures. Default {@link ProviderPolicy#FASTEST}. */
        public Builder providerPolicy(ProviderPolicy policy) {
            requireNotSet("providerPolicy", this.providerPolicy);
            this.providerPolicy = Objects.requireNonNull(policy, "providerPolicy");
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
         * Refuses, with {@link Reason#REVOKED}, tokens whose refresh family ({@code sid}) is revoked and tokens whose
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

        /** Receives a {@link TokenEvent.ValidationFailed} per refused token. */
        public Builder eventListener(TokenEventListener listener) {
            requireNotSet("eventListener", this.listener);
            this.listener = Objects.requireNonNull(listener, "eventListener");
            return this;
        }

        /**
         * Builds the validator.
         *
         * @throws IllegalStateException if issuer, audience or keys is missing
         */
        public AccessTokenValidator build() {
            if (issuer == null || audience == null || keys == null) {
                throw new IllegalStateException("issuer, audience and keys are required"
                        + (issuer == null ? "; issuer(...) is missing" : "")
                        + (audience == null ? "; audience(...) is missing" : "")
                        + (keys == null ? "; keys(...) is missing" : ""));
            }
            return new AccessTokenValidator(this);
        }
    }
}
