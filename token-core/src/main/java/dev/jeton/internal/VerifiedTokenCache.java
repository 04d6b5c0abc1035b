package dev.jeton.internal;

import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwtKey;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A bounded map from the exact token string to its verified claims (as Envoy's JWT filter keeps one). Only tokens
 * that passed full validation enter. A hit is re-checked by the validator against the clock and the key set. When
 * full, expired entries go first, then an arbitrary tenth. Not part of Jeton's API.
 */
public final class VerifiedTokenCache {

    /** A cached result: the claims, the key that verified them, and the instants the hit path re-checks. */
    public record Entry(VerifiedAccessToken token, JwtKey key, long expiresAtMillis, long notBeforeMillis) {
    }

    private final int maximumSize;
    private final ConcurrentHashMap<String, Entry> entries;

    public VerifiedTokenCache(int maximumSize) {
        this.maximumSize = maximumSize;
        this.entries = new ConcurrentHashMap<>(Math.min(maximumSize, 1024) * 2);
    }

    public Entry get(String token) {
        return entries.get(token);
    }

    public void remove(String token) {
        entries.remove(token);
    }

    public void put(String token, Entry entry, long nowMillis) {
        if (entries.size() >= maximumSize) {
            evict(nowMillis);
        }
        entries.put(token, entry);
    }

    public int size() {
        return entries.size();
    }

    private synchronized void evict(long nowMillis) {
        if (entries.size() < maximumSize) {
            return;
        }
        entries.values().removeIf(e -> e.expiresAtMillis() <= nowMillis);
        int excess = entries.size() - maximumSize + Math.max(1, maximumSize / 10);
        Iterator<String> it = entries.keySet().iterator();
        while (excess-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
