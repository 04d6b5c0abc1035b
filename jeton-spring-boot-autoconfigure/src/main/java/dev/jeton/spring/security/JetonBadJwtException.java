package dev.jeton.spring.security;

import dev.jeton.InvalidTokenException;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.BadJwtException;

/**
 * Jeton refused a bearer token: Spring Security answers 401 with {@code WWW-Authenticate: Bearer
 * error="invalid_token", error_description="…"}. The message is the reason's fixed description, never anything from
 * the token; {@link #reason()} and the cause keep Jeton's detail.
 */
public final class JetonBadJwtException extends BadJwtException {

    private static final long serialVersionUID = 1L;

    private final InvalidTokenException.Reason reason;

    /** Wraps Jeton's refusal. */
    public JetonBadJwtException(InvalidTokenException cause) {
        super(Objects.requireNonNull(cause, "cause").description(), cause);
        this.reason = cause.reason();
    }

    /** Why Jeton refused the token. */
    public InvalidTokenException.Reason reason() {
        return reason;
    }
}
