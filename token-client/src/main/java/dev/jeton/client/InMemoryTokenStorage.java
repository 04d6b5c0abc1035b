package dev.jeton.client;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the tokens in this process only: nothing survives a restart, and nothing is written to disk. The default
 * storage of an {@link AuthorizedHttpClient}. Thread-safe.
 */
public final class InMemoryTokenStorage implements TokenStorage {

    private final AtomicReference<TokenSet> tokens = new AtomicReference<>();

    /** An empty storage. */
    public InMemoryTokenStorage() {
    }

    @Override
    public Optional<TokenSet> load() {
        return Optional.ofNullable(tokens.get());
    }

    @Override
    public void save(TokenSet tokens) {
        this.tokens.set(Objects.requireNonNull(tokens, "tokens"));
    }

    @Override
    public void clear() {
        tokens.set(null);
    }

    @Override
    public String toString() {
        return "InMemoryTokenStorage[" + (tokens.get() == null ? "empty" : "holding a token set") + "]";
    }
}
