package dev.jeton.spring.security;

import dev.jeton.AccessTokenValidator;
import dev.jeton.InvalidTokenException;
import dev.jeton.TokenException;
import java.util.Objects;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * A Spring Security {@link JwtDecoder} backed by Jeton's {@link AccessTokenValidator}, for
 * {@code http.oauth2ResourceServer(o -> o.jwt(withDefaults()))}: the stock bearer-token filter, entry point and
 * access-denied handler then answer 401 and 403 with RFC 6750's {@code WWW-Authenticate}.
 *
 * <p>All of Jeton's checks apply (RFC 9068 {@code typ at+jwt}, issuer, audience, algorithms, times, revocation when
 * configured); Spring's own {@code OAuth2TokenValidator}s are not needed. A refused token throws
 * {@link JetonBadJwtException} (401 {@code invalid_token}, with the reason); a token Jeton could not decide about
 * throws {@link JetonJwtException} (a server error). The result is a {@link JetonJwt}.
 *
 * <p>Thread-safe.
 */
public final class JetonJwtDecoder implements JwtDecoder {

    private final AccessTokenValidator validator;

    /** Decodes with {@code validator}. */
    public JetonJwtDecoder(AccessTokenValidator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        try {
            return JetonJwt.of(token, validator.validate(token));
        } catch (InvalidTokenException e) {
            throw new JetonBadJwtException(e);
        } catch (TokenException e) {
            throw new JetonJwtException(e);
        }
    }
}
