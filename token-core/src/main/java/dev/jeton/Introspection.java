package dev.jeton;

import dev.jeton.internal.Json;
import dev.jeton.internal.Scopes;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What token introspection (RFC 7662) says about a token: {@link Active}, with what the token carries, or
 * {@link Inactive}, which says nothing else whatever the reason (unknown, expired, revoked, malformed).
 *
 * <pre>{@code
 * if (tokens.introspect(token) instanceof Introspection.Active active) {
 *     log.info("{} of {}, expires at {}", active.tokenType(), active.subject(), active.expiresAt());
 * }
 * }</pre>
 *
 * <p>{@link #toMap()} and {@link #toJson()} render the RFC 7662 §2.2 response; an inactive token's is exactly
 * {@code {"active": false}}. Values are immutable.
 */
public sealed interface Introspection permits Introspection.Active, Introspection.Inactive {

    /** Whether the token is currently usable: true exactly for {@link Active}. */
    boolean active();

    /** The RFC 7662 §2.2 response members; times as seconds since the epoch. */
    Map<String, Object> toMap();

    /** {@link #toMap()} as JSON. */
    default String toJson() {
        return Json.writeString(toMap());
    }

    /** The answer for any token that is not active. */
    static Inactive inactive() {
        return Inactive.INSTANCE;
    }

    /** The two kinds of token introspection answers about, with their RFC 7662 {@code token_type} value. */
    enum TokenType {
        /** An access token: {@code access_token}. */
        ACCESS_TOKEN("access_token"),
        /** A refresh token: {@code refresh_token}. */
        REFRESH_TOKEN("refresh_token");

        private final String value;

        TokenType(String value) {
            this.value = value;
        }

        /** The {@code token_type} member's value (the RFC 7009 token type hint). */
        public String value() {
            return value;
        }
    }

    /**
     * A token that is currently usable.
     *
     * @param tokenType which kind of token it is
     * @param subject {@code sub}
     * @param clientId {@code client_id}
     * @param scopes {@code scope}, in order
     * @param issuedAt {@code iat}; for a refresh token, when its session began
     * @param expiresAt {@code exp}; for a refresh token, its idle expiry
     * @param issuer {@code iss}
     * @param audience {@code aud}; empty for a refresh token
     * @param jti {@code jti}, for an access token
     * @param sessionId the session ({@code sid}): always for a refresh token, for an access token when it has one
     */
    record Active(TokenType tokenType, String subject, String clientId, Set<String> scopes, Instant issuedAt,
                  Instant expiresAt, String issuer, List<String> audience, Optional<String> jti,
                  Optional<String> sessionId) implements Introspection {

        /** Checks that no component is null. */
        public Active {
            Objects.requireNonNull(tokenType, "tokenType");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(clientId, "clientId");
            scopes = Collections.unmodifiableSet(new LinkedHashSet<>(scopes));
            Objects.requireNonNull(issuedAt, "issuedAt");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(issuer, "issuer");
            audience = List.copyOf(audience);
            Objects.requireNonNull(jti, "jti");
            Objects.requireNonNull(sessionId, "sessionId");
        }

        /** What introspection says about an access token that passed validation. */
        public static Active of(VerifiedAccessToken token) {
            Objects.requireNonNull(token, "token");
            return new Active(TokenType.ACCESS_TOKEN, token.subject(), token.clientId(), token.scopes(),
                    token.issuedAt(), token.expiresAt(), token.issuer(), token.audience(), Optional.of(token.jti()),
                    token.sessionId());
        }

        /**
         * What introspection says about a usable refresh token of session {@code sessionId}.
         *
         * @param issuedAt when the session began
         * @param idleExpiresAt when the token expires unless it is used
         */
        public static Active ofRefreshToken(String sessionId, String subject, String clientId, Set<String> scopes,
                                            Instant issuedAt, Instant idleExpiresAt, String issuer) {
            return new Active(TokenType.REFRESH_TOKEN, subject, clientId, scopes, issuedAt, idleExpiresAt, issuer,
                    List.of(), Optional.empty(), Optional.of(Objects.requireNonNull(sessionId, "sessionId")));
        }

        /** Always true. */
        @Override
        public boolean active() {
            return true;
        }

        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("active", true);
            if (!scopes.isEmpty()) {
                map.put("scope", Scopes.join(scopes));
            }
            map.put("client_id", clientId);
            map.put("sub", subject);
            map.put("token_type", tokenType.value());
            map.put("exp", expiresAt.getEpochSecond());
            map.put("iat", issuedAt.getEpochSecond());
            map.put("iss", issuer);
            if (!audience.isEmpty()) {
                map.put("aud", audience.size() == 1 ? audience.get(0) : audience);
            }
            jti.ifPresent(v -> map.put("jti", v));
            sessionId.ifPresent(v -> map.put("sid", v));
            return Collections.unmodifiableMap(map);
        }
    }

    /** A token that is not usable, for whatever reason; it says nothing else. Get it from {@link #inactive()}. */
    record Inactive() implements Introspection {

        private static final Inactive INSTANCE = new Inactive();

        /** Always false. */
        @Override
        public boolean active() {
            return false;
        }

        /** Exactly {@code {"active": false}}. */
        @Override
        public Map<String, Object> toMap() {
            return Map.of("active", false);
        }
    }
}
