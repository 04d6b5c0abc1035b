package dev.jeton.internal;

import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwtKey;

/**
 * A bounded map from the exact token string to its verified claims (as Envoy's JWT filter keeps one). Only tokens
 * that passed full validation enter. A hit is re-checked by the validator against the clock and the key set.
 * Bounded by {@link BoundedCache}: when full, entries not read lately go first. Not part of Jeton's API.
 */
public final class VerifiedTokenCache {

    /** A cached result: the claims, the key that verified them, and the instants the hit path re-checks. */
    public record Entry(VerifiedAccessToken token, JwtKey key, long expiresAtMillis, long notBeforeMillis) {
    }

    private final BoundedCache<String, Entry> entries;

    public VerifiedTokenCache(int maximumSize) {
        this.entries = new BoundedCache<>(maximumSize);
    }

    public Entry get(String token) {
        return entries.get(token);
    }

    public void remove(String token) {
        entries.remove(token);
    }

    public void put(String token, Entry entry) {
        entries.put(token, entry);
    }

    public int size() {
        return entries.size();
    }
}
