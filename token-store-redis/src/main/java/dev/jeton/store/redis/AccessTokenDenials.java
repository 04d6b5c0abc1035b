package dev.jeton.store.redis;

import static dev.jeton.store.redis.FamilyHash.millis;

import dev.jeton.TokenStoreException;
import dev.jeton.store.RevocationStatus;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The revocation of access tokens in a {@link RedisTokenStore}: a denied {@code jti} is a string that Redis deletes at
 * the token's expiry; a check reads it and the token's family together. Arguments are checked by the store.
 * Thread-safe.
 */
final class AccessTokenDenials {

    private final Keys keys;
    private final Redis redis;

    AccessTokenDenials(Keys keys, Redis redis) {
        this.keys = keys;
        this.redis = redis;
    }

    /** Denies {@code jti} until {@code expiresAt}, or later if it is denied longer already. */
    void deny(String jti, Instant expiresAt) {
        String denialKey = keys.denial(jti);
        String what = "denying access token " + jti;
        redis.run(Script.DENY, what, new String[] {denialKey, keys.timelineOf(jti)}, jti, millis(expiresAt));
        redis.replicate(denialKey, what);
    }

    /** Whether the family (if given) is revoked or gone, and whether {@code jti} is denied: one round trip. */
    RevocationStatus status(Optional<String> familyId, String jti, Instant now) {
        String what = "checking the revocation of access token " + jti;
        Supplier<RedisFuture<List<KeyValue<String, String>>>> readFamily = familyId
                .<Supplier<RedisFuture<List<KeyValue<String, String>>>>>map(id -> {
                    String familyKey = keys.family(id);
                    return () -> redis.async.hmget(familyKey, "g", "ra");
                }).orElse(null);
        String denialKey = keys.denial(jti);
        Supplier<RedisFuture<String>> readDenial = () -> redis.async.get(denialKey);
        // Both sent before either answer is awaited: one round trip, even when they live on different nodes.
        RedisFuture<List<KeyValue<String, String>>> family = readFamily == null ? null : readFamily.get();
        RedisFuture<String> denial = readDenial.get();
        boolean sessionRevoked = false;
        if (family != null) {
            List<KeyValue<String, String>> fields = redis.read(family, readFamily, what);
            sessionRevoked = !fields.get(0).hasValue() || fields.get(1).hasValue();
        }
        String deniedUntil = redis.read(denial, readDenial, what);
        boolean accessTokenRevoked = false;
        if (deniedUntil != null) {
            try {
                accessTokenRevoked = now.toEpochMilli() < Long.parseLong(deniedUntil);
            } catch (NumberFormatException e) {
                throw new TokenStoreException("the denial of access token " + jti + " is malformed in Redis", null);
            }
        }
        return new RevocationStatus(sessionRevoked, accessTokenRevoked);
    }
}
