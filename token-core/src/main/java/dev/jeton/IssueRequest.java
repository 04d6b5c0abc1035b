package dev.jeton;

import dev.jeton.internal.Json;
import dev.jeton.internal.Scopes;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to issue tokens for: the subject (the user), the client, the granted scopes, and extra claims. Build one with
 * {@link #forSubject(String)}.
 *
 * <p>Subject, client id and scopes often come from what a client sent (a user name, a {@code scope} parameter), so
 * bad text there is an OAuth error an endpoint can answer with: {@link InvalidRequestException} for the subject and
 * client id, {@link InvalidScopeException} for the scopes. Claims come from the application, so a bad claim is an
 * {@link IllegalArgumentException}. Claims are held to the limits a validator reads back (nesting, sizes, and about
 * 970 JSON values in all), so a token that was issued can always be validated and refreshed.
 *
 * <pre>{@code
 * IssueRequest request = IssueRequest.forSubject("user-123")
 *     .client("web")
 *     .scopes("openid", "profile")
 *     .claim("roles", List.of("admin"))
 *     .build();
 * }</pre>
 *
 * @param subject the {@code sub} claim
 * @param clientId the {@code client_id} claim
 * @param scopes the granted scopes, in order
 * @param claims extra claims; never one of {@link #RESERVED_CLAIMS}
 */
public record IssueRequest(String subject, String clientId, Set<String> scopes, Map<String, Object> claims) {

    /** Claims Jeton sets itself; neither a request nor a customizer may set them. */
    public static final Set<String> RESERVED_CLAIMS = Set.of(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "sid");

    private static final int MAX_ID_LENGTH = 255;

    /**
     * Checks every component; prefer the builder.
     *
     * @throws InvalidRequestException if the subject or client id is empty, longer than 255 characters or has control
     *     characters
     * @throws InvalidScopeException if a scope is malformed
     * @throws IllegalArgumentException if a claim is reserved, not JSON-compatible, or the claims exceed the limits
     *     above
     */
    public IssueRequest {
        checkId("subject", subject);
        checkId("clientId", clientId);
        scopes = Scopes.check(Objects.requireNonNull(scopes, "scopes"));
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Objects.requireNonNull(claims, "claims").entrySet()) {
            checkClaimName(e.getKey());
            copy.put(e.getKey(), Json.checkValue(e.getKey(), e.getValue()));
        }
        Json.checkBudget(copy);
        claims = Collections.unmodifiableMap(copy);
    }

    /**
     * Starts a request for the given subject (1 to 255 characters, no control characters).
     *
     * @throws InvalidRequestException if the subject is not such a string
     */
    public static Builder forSubject(String subject) {
        checkId("subject", subject);
        return new Builder(subject);
    }

    static void checkId(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw new InvalidRequestException(what + " must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidRequestException(what + " must not contain control characters");
            }
        }
    }

    static void checkClaimName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("claim names must not be empty");
        }
        if (RESERVED_CLAIMS.contains(name)) {
            throw new IllegalArgumentException("claim '" + name + "' is set by Jeton and cannot be overridden; "
                    + "reserved claims are " + RESERVED_CLAIMS);
        }
    }

    /** Builds an {@link IssueRequest}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private final String subject;
        private String clientId;
        private Set<String> scopes = Set.of();
        private final Map<String, Object> claims = new LinkedHashMap<>();

        private Builder(String subject) {
            this.subject = subject;
        }

        /**
         * The client the tokens are issued to ({@code client_id}). Required.
         *
         * @throws InvalidRequestException if it is empty, longer than 255 characters or has control characters
         */
        public Builder client(String clientId) {
            checkId("clientId", clientId);
            if (this.clientId != null) {
                throw new IllegalStateException("client was already set to " + this.clientId);
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * The granted scopes, in order. Replaces earlier scopes.
         *
         * @throws InvalidScopeException if a scope is malformed
         */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(scopes));
        }

        /**
         * The granted scopes, in order. Replaces earlier scopes.
         *
         * @throws InvalidScopeException if a scope is malformed
         */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = Scopes.check(scopes);
            return this;
        }

        /**
         * An extra claim: a String, Boolean, number, or a List or Map of those.
         *
         * @throws IllegalArgumentException if the name is reserved or the value is not JSON-compatible
         */
        public Builder claim(String name, Object value) {
            checkClaimName(name);
            claims.put(name, Json.checkValue(name, value));
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalStateException if no client was set
         * @throws IllegalArgumentException if the claims together exceed the limits a validator reads back
         */
        public IssueRequest build() {
            if (clientId == null) {
                throw new IllegalStateException("client(...) is required: access tokens carry client_id (RFC 9068)");
            }
            return new IssueRequest(subject, clientId, scopes, claims);
        }
    }
}
