package dev.jeton;

import dev.jeton.internal.Json;
import dev.jeton.internal.Scopes;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What token introspection (RFC 7662) says about a token. An inactive token says nothing else, whatever the reason
 * (unknown, expired, revoked, malformed): {@link #toMap()} is then exactly {@code {"active": false}}.
 *
 * @param active whether the token is currently usable
 * @param tokenType {@code access_token} or {@code refresh_token}, when active
 * @param subject {@code sub}, when active
 * @param clientId {@code client_id}, when active
 * @param scopes {@code scope}, when active
 * @param issuedAt {@code iat}, when active
 * @param expiresAt {@code exp}, when active (for a refresh token, its idle expiry)
 * @param issuer {@code iss}, when active
 * @param audience {@code aud}, when active (access tokens)
 * @param jti {@code jti}, when active (access tokens)
 * @param sessionId the refresh family ({@code sid}), when known
 */
public record Introspection(boolean active, Optional<String> tokenType, Optional<String> subject,
                            Optional<String> clientId, Set<String> scopes, Optional<Instant> issuedAt,
                            Optional<Instant> expiresAt, Optional<String> issuer, List<String> audience,
                            Optional<String> jti, Optional<String> sessionId) {

    private static final Introspection INACTIVE = new Introspection(false, Optional.empty(), Optional.empty(),
            Optional.empty(), Set.of(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty());

    /** Checks that no component is null and that an inactive result carries nothing. */
    public Introspection {
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(clientId, "clientId");
        scopes = Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopes));
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(issuer, "issuer");
        audience = List.copyOf(audience);
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(sessionId, "sessionId");
        if (!active && (tokenType.isPresent() || subject.isPresent() || clientId.isPresent() || !scopes.isEmpty()
                || issuedAt.isPresent() || expiresAt.isPresent() || issuer.isPresent() || !audience.isEmpty()
                || jti.isPresent() || sessionId.isPresent())) {
            throw new IllegalArgumentException("an inactive introspection carries no other member");
        }
    }

    /** The answer for any token that is not active. */
    public static Introspection inactive() {
        return INACTIVE;
    }

    /** The RFC 7662 §2.2 response members; times as seconds since the epoch. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("active", active);
        if (!active) {
            return Collections.unmodifiableMap(map);
        }
        if (!scopes.isEmpty()) {
            map.put("scope", Scopes.join(scopes));
        }
        clientId.ifPresent(v -> map.put("client_id", v));
        subject.ifPresent(v -> map.put("sub", v));
        tokenType.ifPresent(v -> map.put("token_type", v));
        expiresAt.ifPresent(v -> map.put("exp", v.getEpochSecond()));
        issuedAt.ifPresent(v -> map.put("iat", v.getEpochSecond()));
        issuer.ifPresent(v -> map.put("iss", v));
        if (!audience.isEmpty()) {
            map.put("aud", audience.size() == 1 ? audience.get(0) : audience);
        }
        jti.ifPresent(v -> map.put("jti", v));
        sessionId.ifPresent(v -> map.put("sid", v));
        return Collections.unmodifiableMap(map);
    }

    /** {@link #toMap()} as JSON. */
    public String toJson() {
        return Json.writeString(toMap());
    }
}
