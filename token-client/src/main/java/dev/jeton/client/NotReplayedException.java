package dev.jeton.client;

import java.net.http.HttpResponse;

/**
 * The resource server refused the access token (401 {@code invalid_token}); the session was refreshed, but the
 * request was not sent again because its body cannot be replayed. Send it again, with a new body; wrap a body that
 * can be re-read with {@link AuthorizedHttpClient#replayable(java.net.http.HttpRequest.BodyPublisher)} to have it
 * retried automatically.
 *
 * <p>Not serializable in practice (it holds the response); safe to share between threads.
 */
public final class NotReplayedException extends TokenClientException {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponse<?> response;

    NotReplayedException(HttpResponse<?> response) {
        super(response.request().method() + " " + response.request().uri().getPath()
                + " got 401 invalid_token; the token was refreshed, but the request was not retried because its body"
                + " cannot be replayed: send it again, or wrap the body with AuthorizedHttpClient.replayable(...)",
                null);
        this.response = response;
    }

    /**
     * The 401 response the request received.
     *
     * @return the response
     */
    public HttpResponse<?> response() {
        return response;
    }
}
