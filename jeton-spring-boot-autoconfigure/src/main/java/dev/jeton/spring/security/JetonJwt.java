package dev.jeton.spring.security;

import dev.jeton.VerifiedAccessToken;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A Spring Security {@link Jwt} made from an access token Jeton verified, which keeps the
 * {@link VerifiedAccessToken}: {@code @AuthenticationPrincipal JetonJwt jwt} then {@code jwt.verifiedAccessToken()}.
 *
 * <p>The claims are the token's, with the numeric dates {@code exp}, {@code iat}, {@code nbf} and
 * {@code auth_time} as {@link Instant}s, as Spring's {@code Jwt} expects, and {@code aud} always a list. The headers
 * are the verified {@code alg} and {@code kid}, and {@code typ: at+jwt}, the type Jeton required.
 */
public final class JetonJwt extends Jwt {

    private static final long serialVersionUID = 1L;
    private static final Set<String> DATES = Set.of("exp", "iat", "nbf", "auth_time");

    /** Not serialized: a {@link VerifiedAccessToken} is a value of this process. */
    private final transient VerifiedAccessToken verified;

    private JetonJwt(String tokenValue, VerifiedAccessToken verified) {
        super(tokenValue, verified.issuedAt(), verified.expiresAt(), headers(verified), claims(verified));
        this.verified = verified;
    }

    /** Wraps a verified token; {@code tokenValue} is the compact JWS it was verified from. */
    public static JetonJwt of(String tokenValue, VerifiedAccessToken verified) {
        Objects.requireNonNull(tokenValue, "tokenValue");
        Objects.requireNonNull(verified, "verified");
        return new JetonJwt(tokenValue, verified);
    }

    /** What Jeton verified: subject, client, scopes, session id, key id and algorithm, every claim. */
    public VerifiedAccessToken verifiedAccessToken() {
        return verified;
    }

    private static Map<String, Object> headers(VerifiedAccessToken token) {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("alg", token.algorithm().id());
        headers.put("kid", token.keyId());
        headers.put("typ", "at+jwt");
        return headers;
    }

    private static Map<String, Object> claims(VerifiedAccessToken token) {
        Map<String, Object> claims = new LinkedHashMap<>(token.claims());
        for (String name : DATES) {
            Object value = claims.get(name);
            if (value instanceof Long seconds) {
                claims.put(name, Instant.ofEpochSecond(seconds));
            } else if (value instanceof BigInteger || value instanceof Double) {
                // Jeton refused the token unless exp, iat and nbf were in range; another date claim may not be.
                claims.remove(name);
            }
        }
        claims.put("exp", token.expiresAt());
        claims.put("iat", token.issuedAt());
        token.notBefore().ifPresent(nbf -> claims.put("nbf", nbf));
        claims.put("aud", token.audience());
        return claims;
    }
}
