package dev.jeton;

import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.JwsReader;
import dev.jeton.internal.Scopes;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Judges the claims of an access token whose signature {@link JwsReader} verified (RFC 9068 §4): the required members
 * and their types, then issuer, audience and time. {@link AccessTokenValidator}'s checks after the signature, apart
 * from revocation. Thread-safe.
 */
final class AccessTokenClaims {

    private final String issuer;
    private final String audience;
    private final Set<String> otherAudiences;
    private final Clock clock;
    private final long skewMillis;

    AccessTokenClaims(String issuer, String audience, Set<String> otherAudiences, Clock clock, long skewMillis) {
        this.issuer = issuer;
        this.audience = audience;
        this.otherAudiences = otherAudiences;
        this.clock = clock;
        this.skewMillis = skewMillis;
    }

    /**
     * The verified token, if its claims pass.
     *
     * @throws JwsReader.Refused for a problem both kinds of token share
     * @throws InvalidTokenException for one of access tokens only
     */
    VerifiedAccessToken judge(Map<String, Object> claims, JwtKey key, JwsAlgorithm alg, boolean anyAudience) {
        String sub = JwsReader.requiredString(claims, "sub");
        String clientId = JwsReader.requiredString(claims, "client_id");
        String jti = JwsReader.requiredString(claims, "jti");
        long exp = JwsReader.numericDateMillis(claims, "exp", true);
        long iat = JwsReader.numericDateMillis(claims, "iat", true);
        long nbf = JwsReader.numericDateMillis(claims, "nbf", false);
        String scope = JwsReader.optionalString(claims, "scope");
        Set<String> scopes;
        try {
            scopes = scope == null ? Set.of() : Scopes.parse(scope);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException(Reason.MALFORMED, "claim 'scope' is not a space-separated list");
        }
        String sid = JwsReader.optionalString(claims, "sid");

        JwsReader.checkIssuer(claims, issuer);
        List<String> aud = JwsReader.audience(claims.get("aud"));
        checkAudience(aud, anyAudience);
        JwsReader.checkTimes(exp, nbf, iat, clock.millis(), skewMillis);
        return new VerifiedAccessToken(sub, clientId, issuer, aud, scopes, jti, Instant.ofEpochMilli(iat),
                Instant.ofEpochMilli(exp), nbf == Long.MIN_VALUE ? Optional.empty()
                : Optional.of(Instant.ofEpochMilli(nbf)), Optional.ofNullable(sid), key.kid(), alg, claims);
    }

    /**
     * {@code aud} must contain the audience; for the owning service's own introspection and revocation, any audience
     * it issues for (RFC 8707) will do.
     *
     * @throws InvalidTokenException {@link Reason#WRONG_AUDIENCE} if it does not
     */
    void checkAudience(List<String> aud, boolean anyAudience) {
        if (aud.contains(audience)) {
            return;
        }
        if (anyAudience && aud.stream().anyMatch(otherAudiences::contains)) {
            return;
        }
        throw new InvalidTokenException(Reason.WRONG_AUDIENCE, "aud does not contain '" + audience + "'");
    }
}
