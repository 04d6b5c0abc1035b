package dev.jeton;

import dev.jeton.key.JwsAlgorithm;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An access token that passed every check: what a resource server needs to authorize a request. Immutable.
 *
 * @param subject {@code sub}
 * @param clientId {@code client_id}
 * @param issuer {@code iss}
 * @param audience {@code aud}, as a list even when the token held a single string
 * @param scopes {@code scope}, split on spaces, in order
 * @param jti {@code jti}
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param notBefore {@code nbf}, when present
 * @param sessionId {@code sid}, the session the token was issued in, when present
 * @param keyId the {@code kid} of the key that verified it
 * @param algorithm the algorithm it was signed with
 * @param claims every claim of the token (members whose value is JSON null are left out); numbers are
 *     {@code Long}, {@code BigInteger} or {@code Double}, arrays {@code List}, objects {@code Map}
 */
public record VerifiedAccessToken(String subject, String clientId, String issuer, List<String> audience,
                                  Set<String> scopes, String jti, Instant issuedAt, Instant expiresAt,
                                  Optional<Instant> notBefore, Optional<String> sessionId, String keyId,
                                  JwsAlgorithm algorithm, Map<String, Object> claims) {

    /** Checks that no component is null. */
    public VerifiedAccessToken {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(issuer, "issuer");
        audience = List.copyOf(audience);
        Objects.requireNonNull(scopes, "scopes");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(claims, "claims");
    }

    /** Whether the token grants {@code scope}. */
    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    /** A claim of the expected type, or empty when it is missing or of another type. */
    public <T> Optional<T> claim(String name, Class<T> type) {
        Object value = claims.get(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }
}
