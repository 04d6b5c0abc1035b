package dev.jeton;

import dev.jeton.key.JwsAlgorithm;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An ID token that passed every check of {@link IdTokenValidator}: who logged in, when and how. Immutable.
 *
 * @param subject {@code sub}, the user at the issuer
 * @param issuer {@code iss}
 * @param audience {@code aud}, as a list even when the token held a single string
 * @param authorizedParty {@code azp}, when present
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param authTime {@code auth_time}, when present: when the user authenticated
 * @param nonce {@code nonce}, when present
 * @param acr {@code acr}, when present
 * @param amr {@code amr}, in order; empty when absent
 * @param sessionId {@code sid}, when present
 * @param keyId the {@code kid} of the key that verified it
 * @param algorithm the algorithm it was signed with
 * @param claims every claim of the token (members whose value is JSON null are left out)
 */
public record VerifiedIdToken(String subject, String issuer, List<String> audience, Optional<String> authorizedParty,
                              Instant issuedAt, Instant expiresAt, Optional<Instant> authTime, Optional<String> nonce,
                              Optional<String> acr, List<String> amr, Optional<String> sessionId, String keyId,
                              JwsAlgorithm algorithm, Map<String, Object> claims) {

    /** Checks that no component is null and copies the lists. */
    public VerifiedIdToken {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(issuer, "issuer");
        audience = List.copyOf(audience);
        Objects.requireNonNull(authorizedParty, "authorizedParty");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(acr, "acr");
        amr = List.copyOf(amr);
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(claims, "claims");
    }

    /** A claim of the expected type, or empty when it is missing or of another type. */
    public <T> Optional<T> claim(String name, Class<T> type) {
        Object value = claims.get(name);
        return type.isInstance(value) ? Optional.of(type.cast(value)) : Optional.empty();
    }

    /** Shows who and when, never the token or the nonce. */
    @Override
    public String toString() {
        return "VerifiedIdToken[sub=" + subject + ", iss=" + issuer + ", aud=" + audience + ", iat=" + issuedAt
                + ", exp=" + expiresAt + ", kid=" + keyId + "]";
    }
}
