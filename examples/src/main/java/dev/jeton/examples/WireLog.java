package dev.jeton.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * An {@link HttpClient} that prints each exchange as a person reads it — method, path, form fields, the kind of
 * credentials, a cookie, status, the fields of a JSON answer — so the walkthrough shows what token-client puts on the wire.
 * Tokens appear only as their first four characters and a SHA-256 prefix; secrets are masked. {@link #quiet(boolean)}
 * silences it while many calls run at once.
 */
final class WireLog extends HttpClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final PrintStream out;
    private volatile boolean quiet;

    WireLog(HttpClient http, PrintStream out) {
        this.http = http;
        this.out = out;
    }

    void quiet(boolean quiet) {
        this.quiet = quiet;
    }

    /** A token as the walkthrough prints it: its kind, never its secret part. */
    static String shorten(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return token.substring(0, Math.min(4, token.length())) + "…#" + HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        printRequest(request);
        HttpResponse<T> response = http.send(request, handler);
        printResponse(response);
        return response;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
                                                            HttpResponse.BodyHandler<T> handler) {
        printRequest(request);
        return http.sendAsync(request, handler).thenApply(response -> {
            printResponse(response);
            return response;
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        printRequest(request);
        return http.sendAsync(request, handler, pushPromiseHandler).thenApply(response -> {
            printResponse(response);
            return response;
        });
    }

    private void printRequest(HttpRequest request) {
        if (quiet) {
            return;
        }
        String credentials = request.headers().firstValue("Authorization").map(a -> a.startsWith("Bearer ")
                ? "  (Bearer " + shorten(a.substring(7)) + ")" : "  (client " + basicClient(a) + ", HTTP Basic)")
                .orElse("");
        String cookie = request.headers().firstValue("Cookie").map(c -> "  (Cookie " + shownCookie(c) + ")")
                .orElse("");
        String csrf = request.headers().firstValue("X-Jeton-Refresh").map(h -> "  (X-Jeton-Refresh)").orElse("");
        out.println("   → " + request.method() + " " + request.uri().getPath() + form(request) + credentials + cookie
                + csrf);
    }

    private static String basicClient(String authorization) {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        return decoded.substring(0, Math.max(0, decoded.indexOf(':')));
    }

    /** {@code name=value}, then any attributes, with the value shortened. */
    private static String shownCookie(String cookie) {
        int eq = cookie.indexOf('=');
        int end = cookie.indexOf(';') < 0 ? cookie.length() : cookie.indexOf(';');
        return eq < 0 || eq + 1 >= end ? cookie
                : cookie.substring(0, eq + 1) + shorten(cookie.substring(eq + 1, end)) + cookie.substring(end);
    }

    private void printResponse(HttpResponse<?> response) {
        if (!quiet) {
            out.println("   ← " + response.statusCode() + " " + summary(response));
        }
    }

    /** The form fields of a body the JDK can replay from memory: tokens shortened, secrets masked. */
    private static String form(HttpRequest request) {
        Optional<HttpRequest.BodyPublisher> publisher = request.bodyPublisher();
        if (publisher.isEmpty() || publisher.get().contentLength() <= 0) {
            return "";
        }
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        publisher.get().subscribe(new Flow.Subscriber<ByteBuffer>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ByteBuffer item) {
                byte[] chunk = new byte[item.remaining()];
                item.get(chunk);
                buffer.writeBytes(chunk);
            }

            @Override
            public void onError(Throwable throwable) {
                bytes.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                bytes.complete(buffer.toByteArray());
            }
        });
        String body;
        try {
            body = new String(bytes.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "";
        }
        StringJoiner fields = new StringJoiner(" ", "  ", "");
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                return "";
            }
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("password") || name.equals("client_secret")) {
                value = "•••";
            } else if (name.endsWith("token")) {
                value = shorten(value);
            }
            fields.add(name + "=" + value);
        }
        return fields.toString();
    }

    /** The fields that matter, tokens shortened, and the challenge of a 401. */
    private static String summary(HttpResponse<?> response) {
        String challenge = response.headers().firstValue("WWW-Authenticate").map(v -> " WWW-Authenticate: " + v)
                .orElse("") + response.headers().firstValue("Set-Cookie").map(v -> " Set-Cookie: " + shownCookie(v))
                .orElse("");
        String body = response.body() instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : response.body() instanceof String text ? text : "";
        if (!body.startsWith("{")) {
            return challenge.strip();
        }
        try {
            JsonNode json = JSON.readTree(body);
            StringJoiner fields = new StringJoiner(" ");
            json.fields().forEachRemaining(e -> {
                String value = e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString();
                if (e.getKey().endsWith("_token") && e.getValue().isTextual()) {
                    value = shorten(value);
                }
                if (value.length() > 90) {
                    value = value.substring(0, 87) + "...";
                }
                fields.add(e.getKey() + "=" + value);
            });
            return fields + challenge;
        } catch (IOException e) {
            return body;
        }
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return http.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return http.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return http.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return http.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return http.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return http.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return http.authenticator();
    }

    @Override
    public Version version() {
        return http.version();
    }

    @Override
    public Optional<Executor> executor() {
        return http.executor();
    }
}
