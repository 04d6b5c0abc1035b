package dev.jeton.client;

import java.util.Optional;

/**
 * Where an {@link AuthorizedHttpClient} keeps its session's tokens between requests and across restarts. Two
 * implementations ship: {@link InMemoryTokenStorage} and {@link EncryptedFileTokenStorage}; a platform keychain is
 * a third an application can write.
 *
 * <p>Contract: {@link #save(TokenSet)} replaces the stored tokens atomically, so a reader, or a process restarted
 * after a crash, sees either the old tokens or the new ones, never a mix or a partial write; it returns only once
 * the new tokens are durable. An {@link AuthorizedHttpClient} saves the new refresh token before it forgets the old
 * one. Implementations must never log or put in an exception a token or key, and must be thread-safe; an
 * {@link AuthorizedHttpClient} calls them from one thread at a time per session.
 */
public interface TokenStorage {

    /**
     * The stored tokens.
     *
     * @return the tokens, or empty if none are stored
     * @throws TokenStorageException if the stored data is corrupt ({@link TokenStorageException.Reason#CORRUPT}),
     *         locked with another key ({@link TokenStorageException.Reason#WRONG_KEY}), or cannot be read
     */
    Optional<TokenSet> load();

    /**
     * Replaces the stored tokens, atomically and durably.
     *
     * @param tokens the new tokens
     * @throws TokenStorageException if they could not be stored; the previous tokens are then still stored
     */
    void save(TokenSet tokens);

    /**
     * Forgets the stored tokens; nothing stored is a no-op.
     *
     * @throws TokenStorageException if they could not be removed
     */
    void clear();
}
