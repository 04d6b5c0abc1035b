package dev.jeton;

import dev.jeton.internal.RefreshTokenCodec;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * {@link TokenService#introspect} (RFC 7662): the answer a remote resource server's {@link IntrospectionClient} relies
 * on to see revocation. So with a store, an access token is active only if its session and its {@code jti} are not
 * revoked, asked of the store directly whether or not validation is revocation-aware; tokens of every audience the
 * service issues for are answered. Thread-safe.
 */
final class Introspector {

    private final String issuer;
    private final TokenStore store;
    private final RefreshTokenCodec refreshTokens;
    private final AccessTokenValidator validator;
    private final Clock clock;

    Introspector(String issuer, TokenStore store, RefreshTokenCodec refreshTokens, AccessTokenValidator validator,
                 Clock clock) {
        this.issuer = issuer;
        this.store = store;
        this.refreshTokens = refreshTokens;
        this.validator = validator;
        this.clock = clock;
    }

    Introspection introspect(String token) {
        if (token == null || token.isEmpty()) {
            return Introspection.inactive();
        }
        Instant now = clock.instant();
        Optional<RefreshTokenCodec.Parsed> parsed = refreshTokens == null ? Optional.empty()
                : refreshTokens.parse(token);
        if (parsed.isPresent()) {
            String hash = refreshTokens.hash(token);
            Optional<FamilyRecord> found = store.findFamily(parsed.get().familyId())
                    .filter(record -> record.acceptsCurrent(parsed.get().generation(), hash, now));
            if (found.isEmpty()) {
                return Introspection.inactive();
            }
            RefreshFamily family = found.get().family();
            return Introspection.Active.ofRefreshToken(family.id(), family.subject(), family.clientId(),
                    family.scopes(), family.createdAt(), found.get().idleExpiresAt(), issuer);
        }
        VerifiedAccessToken access;
        try {
            access = validator.validate(token, true, true);
        } catch (InvalidTokenException e) {
            return Introspection.inactive();
        }
        if (store != null && !validator.checksRevocation()
                && store.revocationStatus(access.sessionId(), access.jti(), now).revoked()) {
            return Introspection.inactive();
        }
        return Introspection.Active.of(access);
    }
}
