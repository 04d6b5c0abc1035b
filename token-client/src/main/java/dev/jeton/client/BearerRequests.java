package dev.jeton.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The API requests of an {@link AuthorizedHttpClient}: the bearer header, and whether a refused one can be replayed. */
final class BearerRequests {

    /** Under the client's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedHttpClient.class);

    /** Body publishers the JDK replays from memory on every subscription; other kinds may be one-shot. */
    private static final Set<Class<?>> REPLAYABLE_BODIES = Set.of(
            HttpRequest.BodyPublishers.ofString("").getClass(),
            HttpRequest.BodyPublishers.ofByteArray(new byte[0]).getClass(),
            HttpRequest.BodyPublishers.noBody().getClass(),
            ReplayableBody.class);

    private BearerRequests() {
    }

    /** The request with the session's access token in {@code Authorization: Bearer} (RFC 6750 §2.1). */
    static HttpRequest authorized(HttpRequest request, TokenSet tokens) {
        return HttpRequest.newBuilder(request, (name, value) -> true)
                .setHeader("Authorization", "Bearer " + tokens.accessToken()).build();
    }

    /** Whether the request can be sent again: no body, an empty one, or one the JDK (or the caller) replays. */
    static boolean replayable(HttpRequest request) {
        return request.bodyPublisher().map(body -> body.contentLength() == 0
                || REPLAYABLE_BODIES.contains(body.getClass())).orElse(true);
    }

    /** Frees the connection of a refused response whose body the caller will never see. */
    static void discard(HttpResponse<?> response) {
        if (response.body() instanceof InputStream stream) {
            try {
                stream.close();
            } catch (IOException e) {
                LOG.debug("Closing a discarded 401 body failed", e);
            }
        }
    }

    /** A body the caller vouches for: it delivers the same bytes on every subscription. */
    static final class ReplayableBody implements HttpRequest.BodyPublisher {
        private final HttpRequest.BodyPublisher body;

        ReplayableBody(HttpRequest.BodyPublisher body) {
            this.body = body;
        }

        @Override
        public long contentLength() {
            return body.contentLength();
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            body.subscribe(subscriber);
        }
    }
}
