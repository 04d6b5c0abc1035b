package dev.jeton.spring.security;

import dev.jeton.TokenException;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Jeton could not decide about a bearer token: the store behind revocation-aware validation failed, or the remote JWK
 * set could not be fetched. Spring Security's resource server turns it into an {@code AuthenticationServiceException},
 * answered as a server error, never as a valid or invalid token. The cause is Jeton's exception.
 */
public final class JetonJwtException extends JwtException {

    private static final long serialVersionUID = 1L;

    /** Wraps Jeton's failure. */
    public JetonJwtException(TokenException cause) {
        super(Objects.requireNonNull(cause, "cause").description(), cause);
    }

    /** Jeton's exception, with its OAuth error and status. */
    public TokenException tokenException() {
        return (TokenException) getCause();
    }
}
