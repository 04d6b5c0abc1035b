package dev.jeton.client;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads what a token or revocation endpoint answered: a token response (RFC 6749 §5.1) as a {@link TokenSet}, anything
 * else as the {@link TokenClientException} it means. Text from the server reaches a message only as printable ASCII,
 * cut at 200 characters.
 */
final class TokenResponses {

    private TokenResponses() {
    }

    /**
     * The tokens of an RFC 6749 §5.1 response; {@code expires_in} counts from {@code sentAt}, and a response without
     * {@code scope} grants the {@code requested} ones (§5.1: "if identical to the scope requested").
     *
     * @throws TokenClientException for any other status ({@link #failure}) or a malformed body
     */
    static TokenSet tokenSet(HttpResponse<byte[]> response, Instant sentAt, Collection<String> requested) {
        if (response.statusCode() != 200) {
            throw failure(response);
        }
        Map<String, Object> json = parse(response);
        String accessToken = string(json, "access_token", true);
        TokenSet.Builder tokens = TokenSet.builder(accessToken).tokenType(string(json, "token_type", true));
        Object expiresIn = json.get("expires_in");
        if (expiresIn != null) {
            tokens.expiresAt(sentAt.plusSeconds(seconds(expiresIn)));
        }
        String refreshToken = string(json, "refresh_token", false);
        if (refreshToken != null) {
            tokens.refreshToken(refreshToken);
        }
        String idToken = string(json, "id_token", false);
        if (idToken != null) {
            tokens.idToken(idToken);
        }
        String scope = string(json, "scope", false);
        try {
            tokens.scopes(scope == null ? requested : scope.isBlank() ? List.of() : List.of(scope.strip().split(" +")));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenResponseException("the token response's scope is malformed", null);
        }
        return tokens.build();
    }

    private static long seconds(Object expiresIn) {
        long seconds;
        if (expiresIn instanceof Long number) {
            seconds = number;
        } else if (expiresIn instanceof String text && text.matches("[0-9]{1,10}")) {
            // RFC 6749 says a number; some servers send a string of digits.
            seconds = Long.parseLong(text);
        } else {
            throw new InvalidTokenResponseException("the token response's expires_in is not a whole number", null);
        }
        if (seconds < 0) {
            throw new InvalidTokenResponseException("the token response's expires_in is negative", null);
        }
        return seconds;
    }

    private static String string(Map<String, Object> json, String name, boolean required) {
        Object value = json.get(name);
        if (value == null) {
            if (required) {
                throw new InvalidTokenResponseException("the token response has no " + name, null);
            }
            return null;
        }
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new InvalidTokenResponseException("the token response's " + name + " is not a non-empty string",
                    null);
        }
        return text;
    }

    private static Map<String, Object> parse(HttpResponse<byte[]> response) {
        try {
            return Json.readObject(response.body());
        } catch (IOException | RuntimeException e) {
            throw new InvalidTokenResponseException("HTTP " + response.statusCode() + " from "
                    + response.uri() + " is not a JSON object: " + e.getClass().getSimpleName(), null);
        }
    }

    /** An RFC 6749 §5.2 error if the body is one; otherwise unavailable (5xx, 429, 408) or malformed. */
    static TokenClientException failure(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        Map<String, Object> json;
        try {
            json = Json.readObject(response.body());
        } catch (IOException | RuntimeException e) {
            json = Map.of();
        }
        if (json.get("error") instanceof String code && code.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]+")) {
            return OAuthErrorException.of(code, printable(json.get("error_description")),
                    printable(json.get("error_uri")), status);
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new TokenEndpointUnavailableException("the authorization server at " + response.uri()
                    + " answered HTTP " + status, status, null);
        }
        return new InvalidTokenResponseException("the authorization server at " + response.uri() + " answered HTTP "
                + status + " without an OAuth error response", null);
    }

    private static String printable(Object value) {
        if (!(value instanceof String text)) {
            return null;
        }
        String clean = text.replaceAll("[^\\x20-\\x7E]", "");
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }
}
