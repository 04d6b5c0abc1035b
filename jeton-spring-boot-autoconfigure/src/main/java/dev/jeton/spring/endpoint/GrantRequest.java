package dev.jeton.spring.endpoint;

import dev.jeton.TokenService;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A token request for an application grant, after client authentication.
 *
 * @param client the authenticated client
 * @param parameters the request's form parameters, each sent once (client credentials left out)
 * @param tokens the service to issue with
 */
public record GrantRequest(RegisteredClient client, Map<String, String> parameters, TokenService tokens) {

    /** Checks that nothing is null and copies the parameters. */
    public GrantRequest {
        Objects.requireNonNull(client, "client");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(tokens, "tokens");
    }

    /** A parameter, or empty when it was not sent. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    /**
     * A parameter the grant cannot do without.
     *
     * @throws OAuth2EndpointException {@code invalid_request} when it was not sent or is empty
     */
    public String requiredParameter(String name) {
        String value = parameters.get(name);
        if (value == null || value.isEmpty()) {
            throw OAuth2EndpointException.invalidRequest("The " + name + " parameter is required");
        }
        return value;
    }

    /**
     * The scopes asked for ({@code scope}, space-separated), or when none the client's registered scopes.
     *
     * @throws OAuth2EndpointException {@code invalid_scope} if one is beyond the client's registered scopes (when it
     *     has any)
     */
    public Set<String> scopes() {
        return TokenEndpoints.scopes(parameters.get("scope"), client);
    }

    /** Names the parameters but never shows their values: a grant's parameters may hold a password or a code. */
    @Override
    public String toString() {
        return "GrantRequest[client=" + client.clientId() + ", parameters="
                + new java.util.TreeSet<>(parameters.keySet()) + "]";
    }
}
