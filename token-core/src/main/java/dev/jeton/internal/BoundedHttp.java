package dev.jeton.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with an authorization server (a JWKS fetch, an introspection), bounded in time and size: status
 * 200 only, a body past the limit refused as soon as it is passed, the whole response within the timeout. Also the
 * URL rules those clients share. Not part of Jeton's API.
 */
public final class BoundedHttp {

    private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "[::1]", "localhost");

    private BoundedHttp() {
    }

    /** A 200 response: its body and headers. */
    public record Response(byte[] body, HttpHeaders headers) {
    }

    /** A failed exchange; its message is safe for logs (no body content, no credentials). */
    public static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        public Failure(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Checks that {@code uri} is absolute {@code https} (or {@code http} to a loopback host, for tests and sidecars)
     * without user info, which would end up in logs.
     *
     * @param what what the URI is for, e.g. "the JWKS URI", for the message
     * @throws IllegalArgumentException otherwise
     */
    public static URI requireHttps(String what, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException(what + " must be an absolute https URL, got " + location(uri));
        }
        if (scheme.equals("http") && !LOOPBACK_HOSTS.contains(host)) {
            throw new IllegalArgumentException(what + " must use https; plain http is only accepted for "
                    + "127.0.0.1, [::1] and localhost, got " + location(uri));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(what + " must not carry user info; configure credentials on the "
                    + "HttpClient instead");
        }
        return uri;
    }

    /** Scheme, host, port and path: never user info or query, which may hold secrets. */
    public static String location(URI uri) {
        String host = uri.getHost() == null ? "?" : uri.getHost();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + host + port + path;
    }

    /**
     * Sends {@code request} and waits at most {@code timeout} for the whole response.
     *
     * @throws Failure on a network error, a timeout, an interruption (the flag is set again), a status other than
     *     200, or a body larger than {@code maxBytes}
     */
    public static Response send(HttpClient client, HttpRequest request, Duration timeout, int maxBytes)
            throws Failure {
        CompletableFuture<HttpResponse<byte[]>> pending =
                client.sendAsync(request, info -> new LimitedBody(info, maxBytes));
        try {
            // The request timeout only covers the headers; this bounds a body that trickles in.
            HttpResponse<byte[]> response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Response(response.body(), response.headers());
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new Failure("no complete response within " + timeout);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Failure f) {
                throw f;
            }
            if (cause instanceof HttpTimeoutException) {
                throw new Failure("no response within " + timeout);
            }
            throw new Failure("request failed (" + (cause == null ? e : cause).getClass().getSimpleName() + ")");
        }
    }

    /**
     * Collects a 200 response body up to a limit. Any other status, or a body past the limit (by Content-Length or
     * as it arrives), cancels the exchange so that the rest is never read.
     */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final int limit;
        private final Failure refusal;
        private Flow.Subscription subscription;

        LimitedBody(HttpResponse.ResponseInfo info, int limit) {
            this.limit = limit;
            OptionalLong length = info.headers().firstValueAsLong("Content-Length");
            if (info.statusCode() != 200) {
                refusal = new Failure("HTTP status " + info.statusCode());
            } else if (length.isPresent() && length.getAsLong() > limit) {
                refusal = tooLarge(limit);
            } else {
                refusal = null;
            }
        }

        private static Failure tooLarge(int limit) {
            return new Failure("response larger than " + limit + " bytes");
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            if (refusal != null) {
                subscription.cancel();
                result.completeExceptionally(refusal);
            } else {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                if (out.size() + (long) item.remaining() > limit) {
                    subscription.cancel();
                    result.completeExceptionally(tooLarge(limit));
                    return;
                }
                byte[] bytes = new byte[item.remaining()];
                item.get(bytes);
                out.write(bytes, 0, bytes.length);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletableFuture<byte[]> getBody() {
            return result;
        }
    }
}
