package dev.jeton;

import dev.jeton.internal.Options;
import dev.jeton.internal.Scopes;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/**
 * A refresh (RFC 6749 §6): the refresh token, the client that presents it (already authenticated by the
 * application), and optionally narrower scopes and audiences (RFC 8707 resources).
 *
 * <pre>{@code
 * TokenPair next = tokens.refresh(RefreshRequest.of(refreshToken).client("web").scope("openid").build());
 * }</pre>
 *
 * <p>Everything here comes from a client, so bad input is an OAuth error an endpoint answers with as it is:
 * {@link InvalidRequestException} for a missing token or client id, {@link InvalidScopeException} for a malformed
 * scope, {@link InvalidTargetException} for a malformed resource. {@link #toString()} does not show the token.
 *
 * @param refreshToken the refresh token presented
 * @param clientId the authenticated client
 * @param scopes the scopes asked for; empty means all the scopes granted
 * @param audiences the resources asked for (RFC 8707); empty means all the audiences the login was granted
 */
public record RefreshRequest(String refreshToken, String clientId, Set<String> scopes, Set<String> audiences) {

    /**
     * Checks every component; prefer the builder.
     *
     * @throws InvalidRequestException if the token or the client id is missing or malformed
     * @throws InvalidScopeException if a scope is malformed
     * @throws InvalidTargetException if an audience is malformed, or there are more than 16
     */
    public RefreshRequest {
        checkToken(refreshToken);
        IssueRequest.checkId("clientId", clientId);
        scopes = Scopes.check(scopes);
        audiences = IssueRequest.checkAudiences(Objects.requireNonNull(audiences, "audiences"));
    }

    /**
     * A refresh for all the audiences granted.
     *
     * @throws InvalidRequestException if the token or the client id is missing or malformed
     * @throws InvalidScopeException if a scope is malformed
     */
    public RefreshRequest(String refreshToken, String clientId, Set<String> scopes) {
        this(refreshToken, clientId, scopes, Set.of());
    }

    /**
     * Starts a request for the presented refresh token.
     *
     * @throws InvalidRequestException if the token is null or empty (the {@code refresh_token} parameter is missing)
     */
    public static Builder of(String refreshToken) {
        checkToken(refreshToken);
        return new Builder(refreshToken);
    }

    private static void checkToken(String refreshToken) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw new InvalidRequestException("the refresh_token parameter is missing");
        }
    }

    @Override
    public String toString() {
        return "RefreshRequest[client=" + clientId + ", scopes=" + scopes + ", audiences=" + audiences + "]";
    }

    /** Builds a {@link RefreshRequest}. Not thread-safe. */
    public static final class Builder {
        private final String refreshToken;
        private String clientId;
        private Set<String> scopes = Set.of();
        private Set<String> audiences = Set.of();

        private Builder(String refreshToken) {
            this.refreshToken = refreshToken;
        }

        /**
         * The client presenting the token. Required; a token of another client is refused and not consumed.
         *
         * @throws InvalidRequestException if it is empty, longer than 255 characters or has control characters
         * @throws IllegalStateException if it was already set
         */
        public Builder client(String clientId) {
            Options.requireNotSet("client", this.clientId);
            IssueRequest.checkId("clientId", clientId);
            this.clientId = clientId;
            return this;
        }

        /**
         * Narrower scopes for the new access token; each must have been granted. Replaces earlier scopes.
         *
         * @throws InvalidScopeException if a scope is malformed
         */
        public Builder scopes(String... scopes) {
            return scopes(scopes == null ? null : Arrays.asList(scopes));
        }

        /**
         * Narrower scopes for the new access token; each must have been granted. Replaces earlier scopes.
         *
         * @throws InvalidScopeException if a scope is malformed
         */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = Scopes.check(scopes);
            return this;
        }

        /**
         * The {@code scope} parameter exactly as the client sent it: scope tokens separated by single spaces (RFC 6749
         * §3.3). Replaces earlier scopes.
         *
         * @throws InvalidScopeException if it is malformed
         */
        public Builder scope(String scopeParameter) {
            this.scopes = Scopes.parseRequested(scopeParameter);
            return this;
        }

        /**
         * Narrower audiences for the new access token (RFC 8707 {@code resource} parameters); each must have been
         * granted at login, else the refresh fails with {@link InvalidTargetException} and consumes nothing. Replaces
         * earlier audiences.
         *
         * @throws InvalidTargetException if one is malformed, or there are more than 16
         */
        public Builder audiences(String... audiences) {
            return audiences(Arrays.asList(audiences));
        }

        /**
         * Narrower audiences for the new access token; see {@link #audiences(String...)}.
         *
         * @throws InvalidTargetException if one is malformed, or there are more than 16
         */
        public Builder audiences(Collection<String> audiences) {
            this.audiences = IssueRequest.checkAudiences(Objects.requireNonNull(audiences, "audiences"));
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
            return new RefreshRequest(refreshToken, clientId, scopes, audiences);
        }
    }
}
