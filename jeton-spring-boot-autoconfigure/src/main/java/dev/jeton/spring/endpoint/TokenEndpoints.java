package dev.jeton.spring.endpoint;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenException;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The OAuth 2.0 endpoints of a Jeton service, as Spring MVC functional routes:
 * <ul>
 *   <li>the token endpoint (RFC 6749 §3.2): {@code refresh_token}, {@code client_credentials}, and the application's
 *       own grants through {@link GrantHandler} beans;</li>
 *   <li>revocation (RFC 7009) and introspection (RFC 7662);</li>
 *   <li>the JWK set, with {@code Cache-Control}, and the authorization server metadata (RFC 8414, OpenID Connect
 *       Discovery) at both well-known paths.</li>
 * </ul>
 *
 * <p>Clients authenticate with {@code client_secret_basic} or {@code client_secret_post} against the
 * {@link ClientRegistry}; a public client sends its {@code client_id} alone. Errors follow RFC 6749 §5.2 exactly: a
 * JSON body with {@code error} and a fixed {@code error_description}, status 400, or 401 with
 * {@code WWW-Authenticate: Basic} for {@code invalid_client}; parameters only in a form body, each at most once.
 * Responses carry {@code Cache-Control: no-store}. Nothing a client sent is echoed, and no token or secret is logged.
 *
 * <p>Thread-safe.
 */
public final class TokenEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoints.class);
    private static final String REFRESH_TOKEN = "refresh_token";
    private static final String CLIENT_CREDENTIALS = "client_credentials";
    private static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");
    /** Compared against when a client is unknown, so an unknown client costs what a known one does. */
    private static final String UNKNOWN_CLIENT_SECRET = "{noop}jeton-unknown-client";

    private final TokenService tokens;
    private final ClientRegistry clients;
    private final PasswordEncoder passwords;
    private final Map<String, GrantHandler> grants;
    private final Paths paths;
    private final String jwksCacheControl;
    private final String unknownClientHash;

    /**
     * The endpoint paths and the base URL the metadata names them under.
     *
     * @param baseUrl the URL the paths are appended to in the metadata, e.g. {@code https://auth.example.com}
     * @param token the token endpoint's path
     * @param revocation the revocation endpoint's path
     * @param introspection the introspection endpoint's path
     * @param jwks the JWK set's path
     */
    public record Paths(String baseUrl, String token, String revocation, String introspection, String jwks) {

        /** Checks that each path starts with a slash. */
        public Paths {
            Objects.requireNonNull(baseUrl, "baseUrl");
            for (String path : new String[] {token, revocation, introspection, jwks}) {
                if (path == null || !path.startsWith("/")) {
                    throw new IllegalArgumentException("an endpoint path starts with '/', got " + path);
                }
            }
            baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        }
    }

    /**
     * @param tokens the service
     * @param clients the clients
     * @param passwords checks client secrets
     * @param grants the application's grants, by type
     * @param paths where the endpoints are
     * @param jwksCacheControl the JWK set's {@code Cache-Control}
     * @throws IllegalArgumentException if a grant handler takes refresh_token or client_credentials, or two take
     *     the same type
     */
    public TokenEndpoints(TokenService tokens, ClientRegistry clients, PasswordEncoder passwords,
                          List<GrantHandler> grants, Paths paths, String jwksCacheControl) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.paths = Objects.requireNonNull(paths, "paths");
        this.jwksCacheControl = Objects.requireNonNull(jwksCacheControl, "jwksCacheControl");
        Map<String, GrantHandler> byType = new LinkedHashMap<>();
        for (GrantHandler handler : grants) {
            String type = handler.grantType();
            if (REFRESH_TOKEN.equals(type) || CLIENT_CREDENTIALS.equals(type)) {
                throw new IllegalArgumentException("grant type " + type + " is Jeton's own; a GrantHandler serves "
                        + "another one");
            }
            if (byType.putIfAbsent(type, handler) != null) {
                throw new IllegalArgumentException("two GrantHandlers serve grant type " + type);
            }
        }
        this.grants = Map.copyOf(byType);
        this.unknownClientHash = passwords.encode(UNKNOWN_CLIENT_SECRET);
    }

    /** The routes: POST token, revocation and introspection; GET JWK set and the two metadata documents. */
    public RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .POST(paths.token(), this::token)
                .POST(paths.revocation(), this::revoke)
                .POST(paths.introspection(), this::introspect)
                .GET(paths.jwks(), this::jwks)
                .GET("/.well-known/oauth-authorization-server", this::metadata)
                .GET("/.well-known/openid-configuration", this::metadata)
                .build();
    }

    ServerResponse token(ServerRequest request) {
        String grantType = null;
        String clientId = null;
        try {
            Map<String, String> params = formParameters(request);
            RegisteredClient client = authenticate(request, params);
            clientId = client.clientId();
            grantType = params.get("grant_type");
            if (grantType == null || grantType.isEmpty()) {
                throw OAuth2EndpointException.invalidRequest("The grant_type parameter is required");
            }
            if (!REFRESH_TOKEN.equals(grantType) && !CLIENT_CREDENTIALS.equals(grantType)
                    && !grants.containsKey(grantType)) {
                throw new OAuth2EndpointException("unsupported_grant_type",
                        "The grant type is not supported by this server", 400);
            }
            if (!client.mayUse(grantType) || (CLIENT_CREDENTIALS.equals(grantType) && !client.isConfidential())) {
                throw new OAuth2EndpointException("unauthorized_client", "The client may not use this grant type",
                        400);
            }
            TokenPair pair = switch (grantType) {
                case REFRESH_TOKEN -> refresh(client, params);
                case CLIENT_CREDENTIALS -> tokens.issueAccessToken(IssueRequest.forSubject(client.clientId())
                        .client(client.clientId()).scopes(scopes(params.get("scope"), client, true)).build());
                default -> grants.get(grantType).handle(new GrantRequest(client, withoutSecret(params), tokens));
            };
            return noStore(ServerResponse.ok()).contentType(MediaType.APPLICATION_JSON).body(pair.toJson());
        } catch (OAuth2EndpointException e) {
            LOG.debug("token request refused: client={} grant={} error={}", clientId, grantType, e.error());
            return error(e.error(), e.description(), e.status());
        } catch (TokenException e) {
            LOG.debug("token request refused: client={} grant={} error={}", clientId, grantType, e.oauthError());
            return error(e.oauthError(), e.description(), e.httpStatus());
        }
    }

    private TokenPair refresh(RegisteredClient client, Map<String, String> params) {
        String refreshToken = params.get(REFRESH_TOKEN);
        if (refreshToken == null || refreshToken.isEmpty()) {
            throw OAuth2EndpointException.invalidRequest("The refresh_token parameter is required");
        }
        RefreshRequest.Builder refresh = RefreshRequest.of(refreshToken).client(client.clientId());
        if (params.containsKey("scope")) {
            refresh.scope(params.get("scope"));
        }
        return tokens.refresh(refresh.build());
    }

    ServerResponse revoke(ServerRequest request) {
        try {
            Map<String, String> params = formParameters(request);
            RegisteredClient client = authenticate(request, params);
            tokens.revoke(requiredToken(params), client.clientId());
            return noStore(ServerResponse.ok()).build();
        } catch (OAuth2EndpointException e) {
            return error(e.error(), e.description(), e.status());
        } catch (TokenException e) {
            return error(e.oauthError(), e.description(), e.httpStatus());
        }
    }

    ServerResponse introspect(ServerRequest request) {
        try {
            Map<String, String> params = formParameters(request);
            RegisteredClient client = authenticate(request, params);
            if (!client.isConfidential()) {
                throw invalidClient();
            }
            String json = tokens.introspect(requiredToken(params)).toJson();
            return noStore(ServerResponse.ok()).contentType(MediaType.APPLICATION_JSON).body(json);
        } catch (OAuth2EndpointException e) {
            return error(e.error(), e.description(), e.status());
        } catch (TokenException e) {
            return error(e.oauthError(), e.description(), e.httpStatus());
        }
    }

    ServerResponse jwks(ServerRequest request) {
        return ServerResponse.ok().contentType(JWK_SET).header(HttpHeaders.CACHE_CONTROL, jwksCacheControl)
                .body(tokens.jwksJson());
    }

    ServerResponse metadata(ServerRequest request) {
        Set<String> grantTypes = new TreeSet<>(grants.keySet());
        grantTypes.add(CLIENT_CREDENTIALS);
        String base = paths.baseUrl();
        String json = tokens.metadata()
                .tokenEndpoint(base + paths.token())
                .revocationEndpoint(base + paths.revocation())
                .introspectionEndpoint(base + paths.introspection())
                .jwksUri(base + paths.jwks())
                .grantTypes(grantTypes.toArray(String[]::new))
                .clientAuthMethods("client_secret_basic", "client_secret_post", "none")
                .build()
                .toJson();
        return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=3600").body(json);
    }

    /**
     * The form parameters, each sent once, from a {@code application/x-www-form-urlencoded} body (RFC 6749 §3.2:
     * the endpoints take POST with a form body; parameters must not repeat).
     */
    private static Map<String, String> formParameters(ServerRequest request) {
        Optional<MediaType> type = request.headers().contentType();
        if (type.isEmpty() || !MediaType.APPLICATION_FORM_URLENCODED.equalsTypeAndSubtype(type.get())) {
            throw OAuth2EndpointException.invalidRequest(
                    "The request body must be application/x-www-form-urlencoded");
        }
        HttpServletRequest servlet = request.servletRequest();
        if (servlet.getQueryString() != null && !servlet.getQueryString().isEmpty()) {
            throw OAuth2EndpointException.invalidRequest("Parameters belong in the request body, not the URL");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, String[]> entry : servlet.getParameterMap().entrySet()) {
            String[] values = entry.getValue();
            if (values.length != 1) {
                throw OAuth2EndpointException.invalidRequest("A parameter was sent more than once");
            }
            params.put(entry.getKey(), values[0]);
        }
        return params;
    }

    /**
     * Client authentication (RFC 6749 §2.3.1): HTTP Basic with the form-encoded id and secret, or
     * {@code client_id} and {@code client_secret} in the body, never both; a public client sends {@code client_id}
     * alone. Any failure is {@code invalid_client}.
     */
    private RegisteredClient authenticate(ServerRequest request, Map<String, String> params) {
        String clientId;
        String secret;
        List<String> authorization = request.headers().header(HttpHeaders.AUTHORIZATION);
        if (authorization.size() > 1) {
            throw OAuth2EndpointException.invalidRequest("The Authorization header was sent more than once");
        }
        if (!authorization.isEmpty()) {
            String header = authorization.get(0);
            if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
                throw invalidClient();
            }
            if (params.containsKey("client_secret")) {
                throw OAuth2EndpointException.invalidRequest("Use one client authentication method, not two");
            }
            String[] idAndSecret = basic(header.substring(6).trim());
            clientId = idAndSecret[0];
            secret = idAndSecret[1];
            if (params.containsKey("client_id") && !params.get("client_id").equals(clientId)) {
                throw OAuth2EndpointException.invalidRequest("The client_id does not match the authenticated client");
            }
        } else {
            clientId = params.get("client_id");
            secret = params.get("client_secret");
            if (clientId == null || clientId.isEmpty()) {
                throw invalidClient();
            }
        }
        Optional<RegisteredClient> found = clients.findByClientId(clientId);
        if (found.isEmpty()) {
            passwords.matches(secret != null ? secret : "", unknownClientHash);
            throw invalidClient();
        }
        RegisteredClient client = found.get();
        if (client.isConfidential()) {
            if (secret == null || !passwords.matches(secret, client.secret().get())) {
                throw invalidClient();
            }
        } else if (secret != null) {
            throw invalidClient();
        }
        return client;
    }

    /** The id and secret of a Basic credential, each form-urlencoded inside the base64 (RFC 6749 §2.3.1). */
    private static String[] basic(String credentials) {
        try {
            String decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw invalidClient();
            }
            return new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                    URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)};
        } catch (IllegalArgumentException e) {
            throw invalidClient();
        }
    }

    private static OAuth2EndpointException invalidClient() {
        return new OAuth2EndpointException("invalid_client", "Client authentication failed", 401);
    }

    private static String requiredToken(Map<String, String> params) {
        String token = params.get("token");
        if (token == null || token.isEmpty()) {
            throw OAuth2EndpointException.invalidRequest("The token parameter is required");
        }
        return token;
    }

    private static Map<String, String> withoutSecret(Map<String, String> params) {
        Map<String, String> copy = new LinkedHashMap<>(params);
        copy.remove("client_secret");
        return copy;
    }

    /**
     * The scopes of a {@code scope} parameter (RFC 6749 §3.3), bounded by the client's registered scopes when it has
     * any. With none asked for, the client's scopes. {@code strict}: a client without registered scopes gets none.
     */
    static Set<String> scopes(String parameter, RegisteredClient client, boolean strict) {
        if (parameter == null || parameter.isEmpty()) {
            return client.scopes();
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String scope : parameter.split(" ", -1)) {
            if (scope.isEmpty() || !scope.chars().allMatch(c -> c == 0x21 || c >= 0x23 && c <= 0x5B
                    || c >= 0x5D && c <= 0x7E)) {
                throw OAuth2EndpointException.invalidScope("The scope parameter is malformed");
            }
            asked.add(scope);
        }
        if ((strict || !client.scopes().isEmpty()) && !client.scopes().containsAll(asked)) {
            throw OAuth2EndpointException.invalidScope("A requested scope is not allowed for this client");
        }
        return asked;
    }

    static Set<String> scopes(String parameter, RegisteredClient client) {
        return scopes(parameter, client, false);
    }

    private static ServerResponse.BodyBuilder noStore(ServerResponse.BodyBuilder builder) {
        return builder.header(HttpHeaders.CACHE_CONTROL, "no-store").header(HttpHeaders.PRAGMA, "no-cache");
    }

    /** An RFC 6749 §5.2 error answer. */
    static ServerResponse error(String error, String description, int status) {
        ServerResponse.BodyBuilder builder = noStore(ServerResponse.status(status));
        if (status == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"oauth\", charset=\"UTF-8\"");
        }
        return builder.contentType(MediaType.APPLICATION_JSON)
                .body("{\"error\":" + jsonString(error) + ",\"error_description\":" + jsonString(description) + "}");
    }

    /** A JSON string; RFC 6749 §5.2 restricts error and description to printable ASCII, anything else is escaped. */
    static String jsonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7E) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
