package dev.jeton.examples;

import com.sun.net.httpserver.HttpExchange;
import dev.jeton.AccessTokenValidator;
import dev.jeton.InvalidTokenException;
import dev.jeton.TokenException;
import dev.jeton.VerifiedAccessToken;
import java.io.IOException;
import java.util.Optional;

/**
 * The glue a framework writes to put Jeton behind its auth layer: read the bearer token (RFC 6750 §2.1), validate
 * it, and turn any {@link TokenException} into the HTTP answer it already describes (status, OAuth error,
 * {@code WWW-Authenticate}), without a mapping table.
 */
final class BearerAuth {

    private final AccessTokenValidator validator;
    private final String realm;

    BearerAuth(AccessTokenValidator validator, String realm) {
        this.validator = validator;
        this.realm = realm;
    }

    /**
     * The verified token of the request, or empty after answering 401 itself: without a token (RFC 6750 §3.1:
     * no error code then), or with one that was refused.
     */
    Optional<VerifiedAccessToken> authenticate(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"" + realm + "\"");
            Exchanges.sendError(exchange, 401, "invalid_request", "an access token is required");
            return Optional.empty();
        }
        try {
            return Optional.of(validator.validate(header.substring(7).strip()));
        } catch (InvalidTokenException e) {
            send(exchange, e);
            return Optional.empty();
        }
    }

    /** Answers with what the exception says: status, OAuth error and description, and its challenge if any. */
    void send(HttpExchange exchange, TokenException e) throws IOException {
        e.wwwAuthenticate().ifPresent(challenge -> exchange.getResponseHeaders().set("WWW-Authenticate",
                challenge.replaceFirst("^Bearer ", "Bearer realm=\"" + realm + "\", ")));
        Exchanges.sendError(exchange, e.httpStatus(), e.oauthError(), e.description());
    }
}
