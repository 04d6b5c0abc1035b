package dev.jeton.spring.endpoint;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A client of the token, revocation and introspection endpoints.
 *
 * @param clientId the {@code client_id}
 * @param secret the client secret as Spring Security's {@code PasswordEncoder} stores it ({@code {bcrypt}…}); empty
 *     for a public client, which sends its {@code client_id} only and may neither use {@code client_credentials} nor
 *     introspect
 * @param grantTypes the grants it may use; {@code refresh_token} is always allowed
 * @param scopes the scopes it may ask for with {@code client_credentials}, and the upper bound of any other grant's
 *     scopes; empty puts no bound on refresh and application grants and allows no {@code client_credentials} scope
 */
public record RegisteredClient(String clientId, Optional<String> secret, Set<String> grantTypes, Set<String> scopes) {

    /** Checks that nothing is null or blank, and copies the sets. */
    public RegisteredClient {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        Objects.requireNonNull(secret, "secret");
        grantTypes = Set.copyOf(grantTypes);
        scopes = Set.copyOf(scopes);
    }

    /** Whether the client authenticates with a secret. */
    public boolean isConfidential() {
        return secret.isPresent();
    }

    /** Whether the client may use {@code grantType}. */
    public boolean mayUse(String grantType) {
        return "refresh_token".equals(grantType) || grantTypes.contains(grantType);
    }

    @Override
    public String toString() {
        return "RegisteredClient[" + clientId + (isConfidential() ? ", confidential" : ", public") + ", grants "
                + grantTypes + ", scopes " + scopes + "]";
    }
}
