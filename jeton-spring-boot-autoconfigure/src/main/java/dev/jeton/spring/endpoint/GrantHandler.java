package dev.jeton.spring.endpoint;

import dev.jeton.TokenPair;

/**
 * The application's own grant at the token endpoint, e.g. {@code password} or a token exchange: it checks what the
 * grant carries and issues tokens with {@link GrantRequest#tokens()}. The endpoint has already authenticated the
 * client and checked that it may use this grant type; refresh_token and client_credentials are Jeton's own.
 *
 * <pre>{@code
 * @Bean
 * GrantHandler passwordGrant(UserDetailsService users, PasswordEncoder encoder) {
 *     return GrantHandler.of("password", request -> {
 *         UserDetails user = ...;   // look up request.parameter("username"), check request.parameter("password")
 *         return request.tokens().issue(IssueRequest.forSubject(user.getUsername())
 *             .client(request.client().clientId()).scopes(request.scopes()).build());
 *     });
 * }
 * }</pre>
 *
 * <p>Refuse a grant by throwing {@link OAuth2EndpointException} (or a Jeton {@code TokenException}); the endpoint
 * answers it as RFC 6749 §5.2 asks. Implementations must be thread-safe.
 */
public interface GrantHandler {

    /** The {@code grant_type} this handler serves. */
    String grantType();

    /**
     * Checks the grant and issues tokens.
     *
     * @throws OAuth2EndpointException to refuse the grant
     */
    TokenPair handle(GrantRequest request);

    /** A handler of {@code grantType} that runs {@code handler}. */
    static GrantHandler of(String grantType, java.util.function.Function<GrantRequest, TokenPair> handler) {
        java.util.Objects.requireNonNull(grantType, "grantType");
        java.util.Objects.requireNonNull(handler, "handler");
        return new GrantHandler() {
            @Override
            public String grantType() {
                return grantType;
            }

            @Override
            public TokenPair handle(GrantRequest request) {
                return handler.apply(request);
            }
        };
    }
}
