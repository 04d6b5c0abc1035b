package dev.jeton.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The tokens of one session, as an RFC 6749 §5.1 token response delivered them: the access token and its type, its
 * expiry (an instant, computed from {@code expires_in} against the time the request was sent), the refresh token,
 * the granted scopes, and an OpenID Connect ID token if the server sent one. The ID token is kept and exposed as
 * received; it is <em>not</em> validated here.
 *
 * <p>{@link #toString()} shows no token, only a short SHA-256 prefix of the access token. Immutable and thread-safe.
 */
public final class TokenSet {

    private final String accessToken;
    private final String tokenType;
    private final Instant expiresAt;
    private final String refreshToken;
    private final Set<String> scopes;
    private final String idToken;

    private TokenSet(Builder builder) {
        this.accessToken = builder.accessToken;
        this.tokenType = builder.tokenType;
        this.expiresAt = builder.expiresAt;
        this.refreshToken = builder.refreshToken;
        // In the server's order, as a person reading them expects.
        this.scopes = Collections.unmodifiableSet(new LinkedHashSet<>(builder.scopes));
        this.idToken = builder.idToken;
    }

    /**
     * Starts a token set; for storage implementations and tests (a {@link TokenEndpointClient} builds its own).
     *
     * @param accessToken the access token, not blank
     * @return a builder with token type {@code Bearer}, no expiry, no refresh token, no scopes, no ID token
     * @throws IllegalArgumentException if the token is blank
     */
    public static Builder builder(String accessToken) {
        return new Builder(accessToken);
    }

    /**
     * The access token, sent as {@code Authorization: Bearer}.
     *
     * @return the access token
     */
    public String accessToken() {
        return accessToken;
    }

    /**
     * The {@code token_type} as the server sent it, e.g. {@code Bearer}.
     *
     * @return the token type
     */
    public String tokenType() {
        return tokenType;
    }

    /**
     * Whether the token type is {@code Bearer} (RFC 6750), compared case-insensitively as RFC 6749 §5.1 requires.
     *
     * @return true for a bearer token
     */
    public boolean isBearer() {
        return tokenType.equalsIgnoreCase("Bearer");
    }

    /**
     * When the access token expires.
     *
     * @return the expiry, or empty when the server did not send {@code expires_in}
     */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /**
     * Whether the access token is expired at {@code now}, or will be within {@code skew}.
     *
     * @param now the current time
     * @param skew how long before the expiry a token counts as expired
     * @return true if the token should be renewed before use; false if its expiry is unknown
     */
    public boolean expiresWithin(Instant now, Duration skew) {
        return expiresAt != null && !now.isBefore(expiresAt.minus(skew));
    }

    /**
     * The refresh token.
     *
     * @return the refresh token, or empty when the server issued none
     */
    public Optional<String> refreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    /**
     * The granted scopes: the response's {@code scope}, or the requested scopes when the server omitted it (RFC 6749
     * §5.1), or on a refresh without {@code scope} those of the tokens it replaced.
     *
     * @return the scopes in the order the server sent them, possibly empty; unmodifiable
     */
    public Set<String> scopes() {
        return scopes;
    }

    /**
     * The OpenID Connect ID token, unvalidated; validate it (signature, issuer, audience, nonce) before trusting any
     * claim in it.
     *
     * @return the ID token, or empty when the server sent none
     */
    public Optional<String> idToken() {
        return Optional.ofNullable(idToken);
    }

    /**
     * This response completed by the tokens it replaces: RFC 6749 §6 lets a refresh response omit the refresh token
     * (keep the old one), and OpenID Connect lets it omit the ID token and the scope.
     */
    TokenSet keepingAbsentFrom(TokenSet previous) {
        if ((refreshToken != null && idToken != null && !scopes.isEmpty()) || previous == null) {
            return this;
        }
        Builder merged = builder(accessToken).tokenType(tokenType).scopes(scopes.isEmpty() ? previous.scopes : scopes);
        merged.expiresAt = expiresAt;
        merged.refreshToken = refreshToken != null ? refreshToken : previous.refreshToken;
        merged.idToken = idToken != null ? idToken : previous.idToken;
        return merged.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSet other && accessToken.equals(other.accessToken)
                && tokenType.equals(other.tokenType) && Objects.equals(expiresAt, other.expiresAt)
                && Objects.equals(refreshToken, other.refreshToken) && scopes.equals(other.scopes)
                && Objects.equals(idToken, other.idToken);
    }

    @Override
    public int hashCode() {
        return accessToken.hashCode();
    }

    @Override
    public String toString() {
        return "TokenSet[access token #" + Fingerprint.of(accessToken) + ", type " + tokenType
                + ", expires " + (expiresAt == null ? "unknown" : expiresAt)
                + ", refresh token " + (refreshToken == null ? "absent" : "present")
                + ", ID token " + (idToken == null ? "absent" : "present") + ", scopes " + scopes + "]";
    }

    /** Builds a {@link TokenSet}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private final String accessToken;
        private String tokenType = "Bearer";
        private Instant expiresAt;
        private String refreshToken;
        private Set<String> scopes = Set.of();
        private String idToken;

        private Builder(String accessToken) {
            this.accessToken = nonBlank(accessToken, "accessToken");
        }

        /**
         * Sets the token type.
         *
         * @param tokenType e.g. {@code Bearer}, not blank
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder tokenType(String tokenType) {
            this.tokenType = nonBlank(tokenType, "tokenType");
            return this;
        }

        /**
         * Sets the access token's expiry.
         *
         * @param expiresAt the instant, not null
         * @return this builder
         */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
            return this;
        }

        /**
         * Sets the refresh token.
         *
         * @param refreshToken the refresh token, not blank
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder refreshToken(String refreshToken) {
            this.refreshToken = nonBlank(refreshToken, "refreshToken");
            return this;
        }

        /**
         * Sets the granted scopes.
         *
         * @param scopes scope tokens, none blank or containing a space
         * @return this builder
         * @throws IllegalArgumentException if a scope is blank or contains a space
         */
        public Builder scopes(Collection<String> scopes) {
            Set<String> copy = new LinkedHashSet<>();
            for (String scope : scopes) {
                if (nonBlank(scope, "scope").indexOf(' ') >= 0) {
                    throw new IllegalArgumentException("a scope must not contain a space; pass each scope apart");
                }
                copy.add(scope);
            }
            this.scopes = copy;
            return this;
        }

        /**
         * Sets the ID token.
         *
         * @param idToken the compact JWT, not blank
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder idToken(String idToken) {
            this.idToken = nonBlank(idToken, "idToken");
            return this;
        }

        /**
         * Builds the token set.
         *
         * @return the immutable token set
         */
        public TokenSet build() {
            return new TokenSet(this);
        }

        private static String nonBlank(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must not be null or blank");
            }
            return value;
        }
    }
}
