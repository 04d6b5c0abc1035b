package dev.jeton.client;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * How the client authenticates to the token and revocation endpoints (RFC 6749 §2.3): {@code client_secret_basic},
 * {@code client_secret_post}, or a public client that sends only its {@code client_id} (RFC 6749 §2.1; use PKCE).
 *
 * <p>{@link #toString()} never shows the secret. Immutable and thread-safe.
 */
public final class ClientAuthentication {

    private enum Method { BASIC, POST, NONE }

    private final Method method;
    private final String clientId;
    private final String secret;

    private ClientAuthentication(Method method, String clientId, String secret) {
        if (clientId == null || clientId.isEmpty()) {
            throw new IllegalArgumentException("clientId must not be null or empty");
        }
        if (method != Method.NONE && (secret == null || secret.isEmpty())) {
            throw new IllegalArgumentException("the client secret must not be null or empty; a client without a"
                    + " secret is a public client: use ClientAuthentication.publicClient(clientId)");
        }
        this.method = method;
        this.clientId = clientId;
        this.secret = secret;
    }

    /**
     * {@code client_secret_basic}: HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1), which every
     * server must support.
     *
     * @param clientId the client id
     * @param secret the client secret
     * @return the authentication
     * @throws IllegalArgumentException if either is null or empty
     */
    public static ClientAuthentication basic(String clientId, String secret) {
        return new ClientAuthentication(Method.BASIC, clientId, secret);
    }

    /**
     * {@code client_secret_post}: {@code client_id} and {@code client_secret} in the request body (RFC 6749 §2.3.1,
     * "NOT RECOMMENDED" there; use it for servers that require it).
     *
     * @param clientId the client id
     * @param secret the client secret
     * @return the authentication
     * @throws IllegalArgumentException if either is null or empty
     */
    public static ClientAuthentication post(String clientId, String secret) {
        return new ClientAuthentication(Method.POST, clientId, secret);
    }

    /**
     * A public client (RFC 6749 §2.1): sends {@code client_id} in the body and no secret.
     *
     * @param clientId the client id
     * @return the authentication
     * @throws IllegalArgumentException if the id is null or empty
     */
    public static ClientAuthentication publicClient(String clientId) {
        return new ClientAuthentication(Method.NONE, clientId, null);
    }

    /**
     * The client id.
     *
     * @return the client id
     */
    public String clientId() {
        return clientId;
    }

    void apply(HttpRequest.Builder request, Map<String, String> form) {
        switch (method) {
            case BASIC -> request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (formEncode(clientId) + ":" + formEncode(secret)).getBytes(StandardCharsets.UTF_8)));
            case POST -> {
                form.put("client_id", clientId);
                form.put("client_secret", secret);
            }
            case NONE -> form.put("client_id", clientId);
        }
    }

    static String formEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientAuthentication other && method == other.method && clientId.equals(other.clientId)
                && Objects.equals(secret, other.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, clientId);
    }

    @Override
    public String toString() {
        return switch (method) {
            case BASIC -> "client_secret_basic(" + clientId + ")";
            case POST -> "client_secret_post(" + clientId + ")";
            case NONE -> "public(" + clientId + ")";
        };
    }
}
