package dev.jeton.client;

import java.util.OptionalInt;

/**
 * The authorization server could not be reached or did not answer usefully: connection refused, timeout, or an HTTP
 * 5xx, 429 or 408 without an OAuth error. Retryable: nothing was consumed on the client's side, and stored tokens
 * are kept.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class TokenEndpointUnavailableException extends TokenClientException {

    private static final long serialVersionUID = 1L;

    private final int httpStatus;

    TokenEndpointUnavailableException(String message, int httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /**
     * The HTTP status the server answered with.
     *
     * @return the status, or empty when no response arrived (connection failure, timeout)
     */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    @Override
    public boolean retryable() {
        return true;
    }
}
