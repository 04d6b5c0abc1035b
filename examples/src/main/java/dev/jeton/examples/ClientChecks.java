package dev.jeton.examples;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who calls the demo's OAuth endpoints, and what it may ask for: the client authenticated by HTTP Basic or by the
 * form against {@link Accounts}, and the scopes it requests checked against those it is allowed.
 */
final class ClientChecks {

    private final Accounts accounts;

    ClientChecks(Accounts accounts) {
        this.accounts = accounts;
    }

    /** HTTP Basic (RFC 6749 §2.3.1) or form credentials, not both; a public client sends client_id alone. */
    Accounts.Client authenticate(HttpExchange exchange, Map<String, String> form) throws Exchanges.BadRequest {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String id;
        String secret;
        if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (form.containsKey("client_secret")) {
                throw new Exchanges.BadRequest(400, "invalid_request", "use one client authentication method");
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new Exchanges.BadRequest(401, "invalid_client", "Client authentication failed");
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new Exchanges.BadRequest(401, "invalid_client", "Client authentication failed");
            }
            id = java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            secret = java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
        } else {
            id = form.get("client_id");
            secret = form.get("client_secret");
            if (id == null) {
                throw new Exchanges.BadRequest(401, "invalid_client", "Client authentication is required");
            }
        }
        return accounts.authenticate(id, secret).orElseThrow(
                () -> new Exchanges.BadRequest(401, "invalid_client", "Client authentication failed"));
    }

    /** The scopes asked for in {@code scope}, or all the client may have; refused beyond those. */
    static Set<String> scopes(Map<String, String> form, Accounts.Client client) throws Exchanges.BadRequest {
        String scope = form.get("scope");
        Set<String> requested = scope == null ? client.allowedScopes() : new LinkedHashSet<>(split(scope));
        if (!client.allowedScopes().containsAll(requested)) {
            throw new Exchanges.BadRequest(400, "invalid_scope", "The client may not ask for that scope");
        }
        return requested;
    }

    private static List<String> split(String scope) throws Exchanges.BadRequest {
        List<String> scopes = Arrays.asList(scope.strip().split(" +"));
        if (scope.isBlank() || scopes.stream().anyMatch(s -> !s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"))) {
            throw new Exchanges.BadRequest(400, "invalid_scope", "The scope is malformed");
        }
        return scopes;
    }
}
