package dev.jeton;

import java.util.Map;
import java.util.Set;

/**
 * Adds claims to every ID token, for example {@code name} and {@code email} from the application's user store (OIDC
 * Core §5.1, for the scopes granted). It runs on each issue and each refresh that returns an ID token, before anything
 * is stored or consumed: if it throws, the issue or refresh fails with its exception and consumes nothing; if it
 * returns one of {@link #RESERVED_CLAIMS} or a value that is not JSON, it fails with {@link IllegalStateException},
 * rather than dropping or overriding anything. On a refresh
 * the request it is given is the login's (subject, client, the scopes of the new access token, {@code auth_time},
 * {@code acr}, {@code amr}), without a nonce. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface IdTokenClaimsCustomizer {

    /** Claims Jeton sets in an ID token itself; a customizer may set none of them. */
    Set<String> RESERVED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "auth_time", "nonce", "acr",
            "amr", "azp", "sid", "at_hash", "c_hash", "client_id", "scope");

    /**
     * The claims to add: Strings, Booleans, numbers, and Lists or Maps of those. Return an empty map to add nothing.
     *
     * @param request the login, or on a refresh the login as stored, with the scopes of the new access token
     */
    Map<String, Object> claims(IssueRequest request);
}
