package dev.jeton.spring.security;

import dev.jeton.InvalidTokenException;
import dev.jeton.TokenException;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

/**
 * Maps Jeton's exceptions to Spring Security's, keeping Jeton's exception as the cause so the reason is never lost.
 */
public final class TokenExceptions {

    private TokenExceptions() {
    }

    /**
     * The Spring Security exception for a Jeton exception: a refused access token is an
     * {@link InvalidBearerTokenException} (401 {@code invalid_token}); a store or key failure an
     * {@link AuthenticationServiceException} (a server error, never a verdict on the token); any other an
     * {@link OAuth2AuthenticationException} with Jeton's OAuth error code and fixed description.
     */
    public static AuthenticationException toSpring(TokenException e) {
        if (e instanceof InvalidTokenException) {
            return new InvalidBearerTokenException(e.description(), e);
        }
        if (e.httpStatus() >= 500) {
            return new AuthenticationServiceException(e.description(), e);
        }
        return new OAuth2AuthenticationException(new OAuth2Error(e.oauthError(), e.description(), null), e);
    }

    /** The Jeton exception anywhere in {@code failure}'s cause chain, e.g. behind a Spring authentication failure. */
    public static Optional<TokenException> find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TokenException token) {
                return Optional.of(token);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /** Why an access token was refused, if {@code failure} comes from a Jeton refusal. */
    public static Optional<InvalidTokenException.Reason> reason(Throwable failure) {
        return find(failure).filter(InvalidTokenException.class::isInstance)
                .map(e -> ((InvalidTokenException) e).reason());
    }
}
