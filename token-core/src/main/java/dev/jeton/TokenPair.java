package dev.jeton;

import dev.jeton.internal.Json;
import dev.jeton.internal.Scopes;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a token endpoint returns: an access token; when the service keeps refresh tokens, a refresh token; and for an
 * OpenID Connect login ({@code openid} scope, ID tokens enabled) an ID token. {@link #toMap()} and {@link #toJson()}
 * render the RFC 6749 §5.1 response (OIDC Core §3.1.3.3 with {@code id_token}).
 *
 * <p>{@link #toString()} never shows a token; it shows the access token's {@code jti}.
 *
 * @param accessToken the signed access JWT
 * @param accessTokenId the access token's {@code jti}
 * @param expiresIn how long the access token lives
 * @param expiresAt when the access token expires
 * @param scopes the scopes of the access token, in order
 * @param refreshToken the refresh token, when one was issued
 * @param sessionId the session id ({@code sid}), when there is one
 * @param idToken the OIDC ID token, when one was issued
 * @param sessionExpiresAt the absolute expiry of the login the refresh token belongs to, when there is one: what a
 *     refresh cookie's {@code Max-Age} counts down to
 */
public record TokenPair(String accessToken, String accessTokenId, Duration expiresIn, Instant expiresAt,
                        Set<String> scopes, Optional<String> refreshToken, Optional<String> sessionId,
                        Optional<String> idToken, Optional<Instant> sessionExpiresAt) {

    /** A pair without an ID token or session expiry. Checks that no component is null. */
    public TokenPair(String accessToken, String accessTokenId, Duration expiresIn, Instant expiresAt,
                     Set<String> scopes, Optional<String> refreshToken, Optional<String> sessionId) {
        this(accessToken, accessTokenId, expiresIn, expiresAt, scopes, refreshToken, sessionId, Optional.empty(),
                Optional.empty());
    }

    /** Checks that no component is null. */
    public TokenPair {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(accessTokenId, "accessTokenId");
        Objects.requireNonNull(expiresIn, "expiresIn");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopes));
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(idToken, "idToken");
        Objects.requireNonNull(sessionExpiresAt, "sessionExpiresAt");
    }

    /** Always {@code Bearer} (RFC 6750). */
    public String tokenType() {
        return "Bearer";
    }

    /**
     * The RFC 6749 §5.1 members: {@code access_token}, {@code token_type}, {@code expires_in} (seconds), and
     * {@code refresh_token}, {@code scope} and {@code id_token} (OIDC Core §3.1.3.3) when present.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("access_token", accessToken);
        map.put("token_type", tokenType());
        map.put("expires_in", expiresIn.toSeconds());
        refreshToken.ifPresent(token -> map.put("refresh_token", token));
        if (!scopes.isEmpty()) {
            map.put("scope", Scopes.join(scopes));
        }
        idToken.ifPresent(token -> map.put("id_token", token));
        return Collections.unmodifiableMap(map);
    }

    /** {@link #toMap()} as a JSON object, ready to send with {@code Cache-Control: no-store}. */
    public String toJson() {
        return Json.writeString(toMap());
    }

    @Override
    public String toString() {
        return "TokenPair[jti=" + accessTokenId + ", expiresAt=" + expiresAt + ", scopes=" + scopes
                + ", refreshToken=" + (refreshToken.isPresent() ? "(present)" : "(none)")
                + ", idToken=" + (idToken.isPresent() ? "(present)" : "(none)")
                + ", sessionId=" + sessionId.orElse("(none)") + "]";
    }
}
