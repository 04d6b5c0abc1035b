package dev.jeton.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of a {@link TokenEndpointClient}: a form built and POSTed with the client's authentication, a response body
 * read up to a limit, the whole exchange bounded by a timeout, and a transport failure turned into the
 * {@link TokenClientException} it means. Immutable and thread-safe.
 */
final class FormPoster {

    /** Under the client's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpointClient.class);

    private final HttpClient http;
    private final ClientAuthentication authentication;
    private final Duration timeout;
    private final int maxResponseBytes;

    FormPoster(HttpClient http, ClientAuthentication authentication, Duration timeout, int maxResponseBytes) {
        this.http = http;
        this.authentication = authentication;
        this.timeout = timeout;
        this.maxResponseBytes = maxResponseBytes;
    }

    /** Sends {@code form} with the client's authentication; fails with a {@link TokenClientException}. */
    CompletableFuture<HttpResponse<byte[]>> post(URI endpoint, Map<String, String> form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        authentication.apply(request, form);
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(ClientAuthentication.formEncode(name) + "="
                + ClientAuthentication.formEncode(value)));
        request.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        // The JDK's request timeout stops at the response headers; orTimeout bounds a body that stalls after them.
        return http.sendAsync(request.build(), LimitedBody.handler(maxResponseBytes))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, error) -> {
                    if (error != null) {
                        throw transportFailure(endpoint, error);
                    }
                    return response;
                });
    }

    private TokenClientException transportFailure(URI endpoint, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof LimitedBody.TooLarge) {
            return new InvalidTokenResponseException(cause.getMessage() + " (maxResponseBytes)", null);
        }
        String what = cause instanceof HttpTimeoutException || cause instanceof TimeoutException
                ? "timed out after " + timeout.toMillis() + " ms"
                : "failed: " + cause;
        LOG.debug("POST {} {}", endpoint, what);
        return new TokenEndpointUnavailableException("the authorization server at " + endpoint + " could not be"
                + " reached: the request " + what, 0, cause);
    }

    /** A token request's form, starting with its {@code grant_type}. */
    static Map<String, String> grantForm(String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", grantType);
        return form;
    }

    /**
     * Adds the {@code scope} parameter, unless {@code scopes} is empty.
     *
     * @throws IllegalArgumentException if a scope is not RFC 6749 §3.3 scope-token
     */
    static void putScope(Map<String, String> form, Collection<String> scopes) {
        if (!scopes.isEmpty()) {
            StringJoiner scope = new StringJoiner(" ");
            for (String s : scopes) {
                if (s == null || !s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
                    throw new IllegalArgumentException("a scope is one or more printable characters without spaces,"
                            + " quotes or backslashes (RFC 6749 §3.3); pass each scope apart");
                }
                scope.add(s);
            }
            form.put("scope", scope.toString());
        }
    }
}
