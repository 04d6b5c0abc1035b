package dev.jeton;

import dev.jeton.internal.Scopes;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A refresh (RFC 6749 §6): the refresh token, the client that presents it (already authenticated by the
 * application), and optionally narrower scopes.
 *
 * <pre>{@code
 * TokenPair next = tokens.refresh(RefreshRequest.of(refreshToken).client("web").scopes("openid").build());
 * }</pre>
 *
 * <p>{@link #toString()} does not show the token.
 *
 * @param refreshToken the refresh token presented
 * @param clientId the authenticated client
 * @param scopes the scopes asked for; empty means all the scopes granted
 */
public record RefreshRequest(String refreshToken, String clientId, Set<String> scopes) {

    /** Checks every component; prefer the builder. */
    public RefreshRequest {
        Objects.requireNonNull(refreshToken, "refreshToken");
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be empty");
        }
        scopes = Scopes.check(Objects.requireNonNull(scopes, "scopes"));
    }

    /** Starts a request for the presented refresh token. */
    public static Builder of(String refreshToken) {
        return new Builder(Objects.requireNonNull(refreshToken, "refreshToken"));
    }

    @Override
    public String toString() {
        return "RefreshRequest[client=" + clientId + ", scopes=" + scopes + "]";
    }

    /** Builds a {@link RefreshRequest}. Not thread-safe. */
    public static final class Builder {
        private final String refreshToken;
        private String clientId;
        private Set<String> scopes = Set.of();

        private Builder(String refreshToken) {
            this.refreshToken = refreshToken;
        }

        /** The client presenting the token. Required; a token of another client is refused and not consumed. */
        public Builder client(String clientId) {
            dev.jeton.internal.Options.requireNotSet("client", this.clientId);
            if (clientId == null || clientId.isEmpty()) {
                throw new IllegalArgumentException("clientId must not be empty");
            }
            this.clientId = clientId;
            return this;
        }

        /** Narrower scopes for the new access token; each must have been granted. */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(scopes));
        }

        /** Narrower scopes for the new access token; each must have been granted. */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = Scopes.check(scopes);
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalStateException if no client was set
         */
        public RefreshRequest build() {
            if (clientId == null) {
                throw new IllegalStateException("client(...) is required: a refresh token is bound to its client");
            }
            return new RefreshRequest(refreshToken, clientId, scopes);
        }
    }
}
