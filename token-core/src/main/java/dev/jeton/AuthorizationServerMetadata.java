package dev.jeton;

import dev.jeton.internal.BoundedHttp;
import dev.jeton.internal.Json;
import dev.jeton.internal.Options;
import dev.jeton.key.JwsAlgorithm;
import java.net.URI;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The metadata document of an authorization server (RFC 8414) and OpenID provider (OpenID Connect Discovery 1.0 §3):
 * the same JSON serves {@code /.well-known/oauth-authorization-server} and {@code /.well-known/openid-configuration}.
 * The host names its endpoints; {@link TokenService#metadata()} fills in what the service is configured with (issuer,
 * grant types, the ID-token signing algorithms).
 *
 * <pre>{@code
 * String json = tokens.metadata()
 *     .jwksUri("https://auth.example.com/.well-known/jwks.json")
 *     .tokenEndpoint("https://auth.example.com/oauth/token")
 *     .revocationEndpoint("https://auth.example.com/oauth/revoke")
 *     .introspectionEndpoint("https://auth.example.com/oauth/introspect")
 *     .grantTypes("password", "client_credentials")
 *     .build()
 *     .toJson();
 * }</pre>
 *
 * <p>Every URL must be absolute {@code https} ({@code http} only to a loopback host, for a demo), without user info;
 * the issuer also without query or fragment (RFC 8414 §2). Immutable and thread-safe.
 */
public final class AuthorizationServerMetadata {

    /** The members the builder writes itself, each through its own method. */
    private static final Set<String> OWN_MEMBERS = Set.of("issuer", "authorization_endpoint", "token_endpoint",
            "jwks_uri", "userinfo_endpoint", "revocation_endpoint", "introspection_endpoint", "grant_types_supported",
            "response_types_supported", "scopes_supported", "token_endpoint_auth_methods_supported",
            "revocation_endpoint_auth_methods_supported", "introspection_endpoint_auth_methods_supported",
            "subject_types_supported", "id_token_signing_alg_values_supported");

    private final Map<String, Object> members;

    private AuthorizationServerMetadata(Map<String, Object> members) {
        this.members = Collections.unmodifiableMap(members);
    }

    /**
     * Starts a document for {@code issuer}, with nothing else filled in.
     *
     * @throws IllegalArgumentException if the issuer is not an https URL without query and fragment
     */
    public static Builder builder(String issuer) {
        return new Builder(issuer);
    }

    /** The members, in the order written. */
    public Map<String, Object> toMap() {
        return members;
    }

    /** The JSON document; serve it with {@code Content-Type: application/json}. */
    public String toJson() {
        return Json.writeString(members);
    }

    /**
     * Builds the document. Each endpoint and list may be set once; lists add to what {@link TokenService#metadata()}
     * filled in. Not thread-safe.
     */
    public static final class Builder {
        private final String issuer;
        private final Map<String, String> endpoints = new LinkedHashMap<>();
        private final Set<String> grantTypes = new LinkedHashSet<>();
        private final Set<String> responseTypes = new LinkedHashSet<>();
        private final Set<String> scopes = new LinkedHashSet<>();
        private final Set<String> authMethods = new LinkedHashSet<>();
        private final Set<String> idTokenAlgorithms = new LinkedHashSet<>();
        private final Map<String, Object> extra = new LinkedHashMap<>();

        private Builder(String issuer) {
            URI uri = url("issuer", issuer);
            if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("the issuer must have no query or fragment (RFC 8414 section 2)");
            }
            this.issuer = issuer;
        }

        /** The JWK set URL ({@code jwks_uri}). Required. */
        public Builder jwksUri(String url) {
            return endpoint("jwks_uri", url);
        }

        /** The token endpoint ({@code token_endpoint}). Required. */
        public Builder tokenEndpoint(String url) {
            return endpoint("token_endpoint", url);
        }

        /** The authorization endpoint, if the host has one; OpenID Connect Discovery requires it of a full provider. */
        public Builder authorizationEndpoint(String url) {
            return endpoint("authorization_endpoint", url);
        }

        /** The RFC 7009 revocation endpoint. */
        public Builder revocationEndpoint(String url) {
            return endpoint("revocation_endpoint", url);
        }

        /** The RFC 7662 introspection endpoint. */
        public Builder introspectionEndpoint(String url) {
            return endpoint("introspection_endpoint", url);
        }

        /** The OpenID Connect UserInfo endpoint, if the host has one. */
        public Builder userinfoEndpoint(String url) {
            return endpoint("userinfo_endpoint", url);
        }

        /** Grant types the token endpoint supports, beside those the service filled in (e.g. {@code password}). */
        public Builder grantTypes(String... types) {
            return add(grantTypes, "grantTypes", types);
        }

        /** Response types of the authorization endpoint. Default {@code code} with one, none without. */
        public Builder responseTypes(String... types) {
            return add(responseTypes, "responseTypes", types);
        }

        /** Scopes clients may ask for ({@code scopes_supported}); left out if none is named. */
        public Builder scopes(String... names) {
            return add(scopes, "scopes", names);
        }

        /**
         * How clients authenticate to the token, revocation and introspection endpoints. Default
         * {@code client_secret_basic}.
         */
        public Builder clientAuthMethods(String... methods) {
            return add(authMethods, "clientAuthMethods", methods);
        }

        /** Algorithms ID tokens are signed with ({@code id_token_signing_alg_values_supported}). */
        public Builder idTokenSigningAlgorithms(JwsAlgorithm... algorithms) {
            Arrays.stream(algorithms).map(JwsAlgorithm::id).forEach(idTokenAlgorithms::add);
            return this;
        }

        /**
         * Any other member (e.g. {@code end_session_endpoint}, {@code code_challenge_methods_supported},
         * {@code registration_endpoint}): a String,
         * Boolean, number, or a List or Map of those.
         *
         * @throws IllegalArgumentException if the builder sets this member itself, or the value is not JSON
         */
        public Builder member(String name, Object value) {
            Options.requireText("member name", name);
            if (OWN_MEMBERS.contains(name)) {
                throw new IllegalArgumentException("member '" + name + "' has its own builder method");
            }
            Options.requireNotSet(name, extra.get(name));
            extra.put(name, Json.checkValue(name, value));
            return this;
        }

        /**
         * Builds the document.
         *
         * @throws IllegalStateException if {@code jwks_uri} or {@code token_endpoint} is missing
         */
        public AuthorizationServerMetadata build() {
            if (!endpoints.containsKey("jwks_uri") || !endpoints.containsKey("token_endpoint")) {
                throw new IllegalStateException("jwksUri(...) and tokenEndpoint(...) are required");
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("issuer", issuer);
            for (String name : List.of("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")) {
                if (endpoints.containsKey(name)) {
                    m.put(name, endpoints.get(name));
                }
            }
            List<String> methods = authMethods.isEmpty() ? List.of("client_secret_basic") : List.copyOf(authMethods);
            m.put("token_endpoint_auth_methods_supported", methods);
            for (String name : List.of("revocation", "introspection")) {
                if (endpoints.containsKey(name + "_endpoint")) {
                    m.put(name + "_endpoint", endpoints.get(name + "_endpoint"));
                    m.put(name + "_endpoint_auth_methods_supported", methods);
                }
            }
            if (!scopes.isEmpty()) {
                m.put("scopes_supported", List.copyOf(scopes));
            }
            m.put("response_types_supported", !responseTypes.isEmpty() ? List.copyOf(responseTypes)
                    : endpoints.containsKey("authorization_endpoint") ? List.of("code") : List.of());
            m.put("grant_types_supported", List.copyOf(grantTypes));
            if (!idTokenAlgorithms.isEmpty()) {
                m.put("subject_types_supported", List.of("public"));
                m.put("id_token_signing_alg_values_supported", List.copyOf(idTokenAlgorithms));
            }
            m.putAll(extra);
            return new AuthorizationServerMetadata(m);
        }

        private Builder endpoint(String member, String url) {
            Options.requireNotSet(member, endpoints.get(member));
            url(member, url);
            endpoints.put(member, url);
            return this;
        }

        private Builder add(Set<String> into, String option, String... values) {
            for (String value : values) {
                into.add(Options.requireText(option, value));
            }
            return this;
        }

        private static URI url(String member, String url) {
            Objects.requireNonNull(url, member);
            URI uri;
            try {
                uri = new URI(url);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException(member + " is not a URL", e);
            }
            return BoundedHttp.requireHttps(member, uri);
        }
    }
}
