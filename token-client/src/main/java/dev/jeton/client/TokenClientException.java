package dev.jeton.client;

/**
 * The unchecked root of every failure token-client reports. No message ever contains a token, a secret or a key;
 * tokens are named, where needed, by a short SHA-256 prefix.
 */
public abstract class TokenClientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TokenClientException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the same call may succeed later without any change on the client's side (a server that is down, a
     * timeout). An OAuth error, a malformed response, a logged-out session or a corrupt token file is not retryable.
     *
     * @return true for transient failures
     */
    public boolean retryable() {
        return false;
    }
}
