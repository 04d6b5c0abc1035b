package dev.jeton;

import java.util.Map;

/**
 * Adds claims to every access token, for example roles looked up from the application's user store. It runs on
 * each issue, after the request's own claims, and may not set a reserved claim
 * ({@link IssueRequest#RESERVED_CLAIMS}): if it tries, issuing fails with {@link IllegalStateException} rather than
 * silently dropping or overriding anything. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface ClaimsCustomizer {

    /**
     * The claims to add for this request: Strings, Booleans, numbers, and Lists or Maps of those. Return an empty map
     * to add nothing.
     */
    Map<String, Object> claims(IssueRequest request);
}
