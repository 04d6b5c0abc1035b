package dev.jeton.client;

/**
 * A {@link TokenStorage} could not load, save or clear tokens. The {@link #reason()} tells whether the stored data
 * is damaged ({@link Reason#CORRUPT}: tampered with, truncated, not a token file), locked with another key
 * ({@link Reason#WRONG_KEY}), or the storage failed ({@link Reason#IO}).
 *
 * <p>Immutable; safe to share between threads.
 */
public final class TokenStorageException extends TokenClientException {

    private static final long serialVersionUID = 1L;

    /** Why the storage failed. */
    public enum Reason {
        /** The stored data fails authentication or does not parse: tampered with, truncated, or not ours. */
        CORRUPT,
        /** The passphrase or key does not open the stored data (or the header naming the key was altered). */
        WRONG_KEY,
        /** Reading or writing failed (permissions, disk full, I/O error); may succeed later. */
        IO
    }

    private final Reason reason;

    /**
     * A storage failure; for {@link TokenStorage} implementations.
     *
     * @param reason why
     * @param message what happened and what to do, never a token or key
     * @param cause the underlying failure, or {@code null}
     */
    public TokenStorageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the storage failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    @Override
    public boolean retryable() {
        return reason == Reason.IO;
    }
}
