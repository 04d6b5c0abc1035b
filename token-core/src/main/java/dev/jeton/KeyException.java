package dev.jeton;

/**
 * A key could not be loaded, is too weak, does not fit its algorithm, or no key is available for an operation
 * (for example signing with a provider that only verifies). The OAuth error is {@code server_error}, status 500:
 * it is a configuration or infrastructure problem, never the client's fault. Messages name the key by its
 * {@code kid} and never contain key material.
 */
public final class KeyException extends TokenException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and what to do about it; no key material */
    public KeyException(String message) {
        super(message, null);
    }

    /**
     * @param message what is wrong and what to do about it; no key material
     * @param cause the underlying failure
     */
    public KeyException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String oauthError() {
        return "server_error";
    }

    @Override
    public int httpStatus() {
        return 500;
    }

    @Override
    public String description() {
        return "The server cannot use its keys";
    }
}
