package dev.jeton.key;

import dev.jeton.KeyException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fixed key set. */
final class StaticKeyProvider implements KeyProvider {

    private final JwtKey signingKey;
    private final Map<String, JwtKey> byKid;
    private final List<JwtKey> keys;

    private StaticKeyProvider(JwtKey signingKey, Map<String, JwtKey> byKid, List<JwtKey> keys) {
        this.signingKey = signingKey;
        this.byKid = byKid;
        this.keys = keys;
    }

    static StaticKeyProvider create(JwtKey signingKey, Collection<JwtKey> others) {
        List<JwtKey> all = new ArrayList<>();
        if (signingKey != null) {
            if (!signingKey.canSign()) {
                throw new KeyException("key '" + signingKey.kid() + "' is a public key and cannot sign; "
                        + "pass it among the other keys, or use KeyProvider.verifyingOnly");
            }
            all.add(signingKey);
        }
        for (JwtKey key : others) {
            all.add(java.util.Objects.requireNonNull(key, "key"));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("a key provider needs at least one key");
        }
        Map<String, JwtKey> byKid = new HashMap<>();
        for (JwtKey key : all) {
            if (byKid.putIfAbsent(key.kid(), key) != null) {
                throw new IllegalArgumentException("two keys share the kid '" + key.kid() + "'");
            }
        }
        return new StaticKeyProvider(signingKey, Map.copyOf(byKid), List.copyOf(all));
    }

    @Override
    public JwtKey signingKey() {
        if (signingKey == null) {
            throw new KeyException("this key provider only verifies; configure a signing key to issue tokens");
        }
        return signingKey;
    }

    @Override
    public Optional<JwtKey> verificationKey(String kid) {
        return Optional.ofNullable(byKid.get(kid));
    }

    @Override
    public List<JwtKey> verificationKeys() {
        return keys;
    }

    @Override
    public String toString() {
        return "KeyProvider" + keys;
    }
}
