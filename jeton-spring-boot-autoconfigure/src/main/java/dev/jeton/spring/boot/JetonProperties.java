package dev.jeton.spring.boot;

import dev.jeton.RefreshRotation;
import dev.jeton.key.JwsAlgorithm;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * Jeton's settings under {@code jeton.*}. Only {@code jeton.issuer} and {@code jeton.audience} are required; every
 * other setting has the default of the matching {@link dev.jeton.TokenService.Builder} option.
 */
@ConfigurationProperties("jeton")
public class JetonProperties {

    /** Whether Jeton's auto-configuration applies. */
    private boolean enabled = true;

    /** The {@code iss} of issued tokens, required exactly on validation. */
    private String issuer;

    /** The audience ({@code aud}) access tokens are issued for and validated against. */
    private String audience;

    /** Further audiences the service issues for (RFC 8707 resource indicators). */
    private List<String> additionalAudiences = new ArrayList<>();

    /** How long access tokens live. */
    private Duration accessTokenTtl = Duration.ofMinutes(15);

    /** Clock skew tolerated on validation; at most 5 minutes. */
    private Duration clockSkew = Duration.ZERO;

    /** How long OpenID Connect ID tokens live; unset, no ID tokens are issued. */
    private Duration idTokenTtl;

    private final RefreshToken refreshToken = new RefreshToken();
    private final Validation validation = new Validation();
    private final Keys keys = new Keys();
    private final Store store = new Store();
    private final Purge purge = new Purge();
    private final Security security = new Security();
    private final Endpoints endpoints = new Endpoints();
    private final Events events = new Events();

    /** Clients of the optional endpoints, by client id, when the application has no ClientRegistry bean. */
    private Map<String, Client> clients = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getIssuer() {
        return issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public String getAudience() {
        return audience;
    }

    public void setAudience(String audience) {
        this.audience = audience;
    }

    public List<String> getAdditionalAudiences() {
        return additionalAudiences;
    }

    public void setAdditionalAudiences(List<String> additionalAudiences) {
        this.additionalAudiences = additionalAudiences;
    }

    public Duration getAccessTokenTtl() {
        return accessTokenTtl;
    }

    public void setAccessTokenTtl(Duration accessTokenTtl) {
        this.accessTokenTtl = accessTokenTtl;
    }

    public Duration getClockSkew() {
        return clockSkew;
    }

    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    public Duration getIdTokenTtl() {
        return idTokenTtl;
    }

    public void setIdTokenTtl(Duration idTokenTtl) {
        this.idTokenTtl = idTokenTtl;
    }

    public RefreshToken getRefreshToken() {
        return refreshToken;
    }

    public Validation getValidation() {
        return validation;
    }

    public Keys getKeys() {
        return keys;
    }

    public Store getStore() {
        return store;
    }

    public Purge getPurge() {
        return purge;
    }

    public Security getSecurity() {
        return security;
    }

    public Endpoints getEndpoints() {
        return endpoints;
    }

    public Events getEvents() {
        return events;
    }

    public Map<String, Client> getClients() {
        return clients;
    }

    public void setClients(Map<String, Client> clients) {
        this.clients = clients;
    }

    /** Refresh-token lifetimes, rotation and the grace window. */
    public static class RefreshToken {

        /** How long a refresh token stays usable unused; each refresh starts a new idle period. */
        private Duration idleTtl = Duration.ofDays(14);

        /** The absolute lifetime of a login; never extended. */
        private Duration maxTtl = Duration.ofDays(90);

        /** ROTATE (a new refresh token on each refresh, with reuse detection) or REUSE. */
        private RefreshRotation rotation = RefreshRotation.ROTATE;

        /** How long a rotated token may still get the same successor back, for clients that retry; at most 60 s. */
        private Duration reuseGrace = Duration.ZERO;

        /** How many times the grace window may return the successor; needs a reuse grace above zero. */
        private Integer reuseGraceUses;

        /** The refresh-token prefix, for secret scanners; default jrt. */
        private String prefix;

        public Duration getIdleTtl() {
            return idleTtl;
        }

        public void setIdleTtl(Duration idleTtl) {
            this.idleTtl = idleTtl;
        }

        public Duration getMaxTtl() {
            return maxTtl;
        }

        public void setMaxTtl(Duration maxTtl) {
            this.maxTtl = maxTtl;
        }

        public RefreshRotation getRotation() {
            return rotation;
        }

        public void setRotation(RefreshRotation rotation) {
            this.rotation = rotation;
        }

        public Duration getReuseGrace() {
            return reuseGrace;
        }

        public void setReuseGrace(Duration reuseGrace) {
            this.reuseGrace = reuseGrace;
        }

        public Integer getReuseGraceUses() {
            return reuseGraceUses;
        }

        public void setReuseGraceUses(Integer reuseGraceUses) {
            this.reuseGraceUses = reuseGraceUses;
        }

        public String getPrefix() {
            return prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Access-token validation. */
    public static class Validation {

        /** Refuse access tokens of revoked sessions and revoked jtis, asking the store. */
        private boolean revocationAware;

        /** How long the store's "not revoked" answer is trusted; at most 5 minutes. */
        private Duration revocationCacheTtl = Duration.ofSeconds(5);

        /** How many verified tokens to keep so a token seen again skips signature verification; 0 is off. */
        private int verifiedTokenCache;

        public boolean isRevocationAware() {
            return revocationAware;
        }

        public void setRevocationAware(boolean revocationAware) {
            this.revocationAware = revocationAware;
        }

        public Duration getRevocationCacheTtl() {
            return revocationCacheTtl;
        }

        public void setRevocationCacheTtl(Duration revocationCacheTtl) {
            this.revocationCacheTtl = revocationCacheTtl;
        }

        public int getVerifiedTokenCache() {
            return verifiedTokenCache;
        }

        public void setVerifiedTokenCache(int verifiedTokenCache) {
            this.verifiedTokenCache = verifiedTokenCache;
        }
    }

    /**
     * Where the keys come from: one of a PEM file, a PKCS#12 store, a JWK set, or (for an application that only
     * validates) a remote JWKS. With none, a key is generated at start-up, with a warning: fine for a demo, wrong for
     * production, where every instance must sign with the same keys.
     */
    public static class Keys {

        private final Pem pem = new Pem();
        private final Pkcs12 pkcs12 = new Pkcs12();
        private final JwkSet jwkSet = new JwkSet();
        private final RemoteJwks remoteJwks = new RemoteJwks();

        /** The algorithm of the key generated when no key source is configured. */
        private JwsAlgorithm generatedAlgorithm = JwsAlgorithm.ES256;

        public Pem getPem() {
            return pem;
        }

        public Pkcs12 getPkcs12() {
            return pkcs12;
        }

        public JwkSet getJwkSet() {
            return jwkSet;
        }

        public RemoteJwks getRemoteJwks() {
            return remoteJwks;
        }

        public JwsAlgorithm getGeneratedAlgorithm() {
            return generatedAlgorithm;
        }

        public void setGeneratedAlgorithm(JwsAlgorithm generatedAlgorithm) {
            this.generatedAlgorithm = generatedAlgorithm;
        }
    }

    /** What every key file names: where it is, its password if any, and the kid and algorithm the key gets. */
    public abstract static class KeyFile {

        /** The resource, e.g. file:/etc/jeton/signing.pem or classpath:keys/signing.p12. */
        private Resource location;

        /** The password: of an encrypted PKCS#8 key in a PEM file, or of a PKCS#12 store. */
        private String password;

        /** The kid the key gets. */
        private String kid;

        /** The one algorithm the key is used with, e.g. RS256 or ES256. */
        private JwsAlgorithm algorithm;

        public Resource getLocation() {
            return location;
        }

        public void setLocation(Resource location) {
            this.location = location;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getKid() {
            return kid;
        }

        public void setKid(String kid) {
            this.kid = kid;
        }

        public JwsAlgorithm getAlgorithm() {
            return algorithm;
        }

        public void setAlgorithm(JwsAlgorithm algorithm) {
            this.algorithm = algorithm;
        }
    }

    /** A key in a PEM file: PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8, optionally with its public key. */
    public static class Pem extends KeyFile {
    }

    /** A key in an entry of a PKCS#12 store. */
    public static class Pkcs12 extends KeyFile {

        /** The entry to load. */
        private String alias;

        /** The entry's key password; default the store password. */
        private String keyPassword;

        public String getAlias() {
            return alias;
        }

        public void setAlias(String alias) {
            this.alias = alias;
        }

        public String getKeyPassword() {
            return keyPassword;
        }

        public void setKeyPassword(String keyPassword) {
            this.keyPassword = keyPassword;
        }
    }

    /** A JWK set you hold yourself, private keys included; its keys all verify, one signs. */
    public static class JwkSet {

        /** The JWK set resource. */
        private Resource location;

        /** The kid of the key that signs; default the first key that can. */
        private String signingKid;

        public Resource getLocation() {
            return location;
        }

        public void setLocation(Resource location) {
            this.location = location;
        }

        public String getSigningKid() {
            return signingKid;
        }

        public void setSigningKid(String signingKid) {
            this.signingKid = signingKid;
        }
    }

    /** An authorization server's published JWK set, for an application that only validates. */
    public static class RemoteJwks {

        /** The JWKS URL (https, or http to a loopback host). */
        private URI uri;

        /** How long the fetched set is used before it is fetched again. */
        private Duration cacheTtl = Duration.ofMinutes(5);

        public URI getUri() {
            return uri;
        }

        public void setUri(URI uri) {
            this.uri = uri;
        }

        public Duration getCacheTtl() {
            return cacheTtl;
        }

        public void setCacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }
    }

    /** Which store keeps refresh-token state. */
    public enum StoreType {
        /** JDBC on the application's DataSource when it has exactly one, otherwise in memory (with a warning). */
        AUTO,
        /** JDBC on the application's DataSource; start-up fails without one. */
        JDBC,
        /** In memory: lost on restart, not shared between instances. */
        IN_MEMORY,
        /** No store: access tokens only, no refresh tokens. */
        NONE
    }

    /** When the JDBC store creates its tables. */
    public enum SchemaInitialization {
        /** Only on an embedded database (H2, HSQLDB, Derby). */
        EMBEDDED,
        /** Always, when they are missing. */
        ALWAYS,
        /** Never: a migration tool runs the shipped schema-&lt;dialect&gt;.sql. */
        NEVER
    }

    /** The refresh-token store. */
    public static class Store {

        private StoreType type = StoreType.AUTO;
        private final Jdbc jdbc = new Jdbc();

        public StoreType getType() {
            return type;
        }

        public void setType(StoreType type) {
            this.type = type;
        }

        public Jdbc getJdbc() {
            return jdbc;
        }
    }

    /** The JDBC store. */
    public static class Jdbc {

        /** The prefix of the store's two tables. */
        private String tablePrefix = "jeton_";

        /** When the store creates its tables. */
        private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

        public String getTablePrefix() {
            return tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public SchemaInitialization getInitializeSchema() {
            return initializeSchema;
        }

        public void setInitializeSchema(SchemaInitialization initializeSchema) {
            this.initializeSchema = initializeSchema;
        }
    }

    /** The scheduled purge of expired sessions. */
    public static class Purge {

        /** Whether this instance purges on a schedule. */
        private boolean enabled = true;

        /** The time from the end of one purge to the start of the next. */
        private Duration interval = Duration.ofHours(1);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getInterval() {
            return interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }
    }

    /** How a validated access token becomes Spring Security authorities. */
    public static class Security {

        /** The prefix each scope gets. */
        private String scopePrefix = "SCOPE_";

        /** The claim holding the roles (a string or a list of strings); empty for none. */
        private String rolesClaim = "roles";

        /** The prefix each role gets. */
        private String rolePrefix = "ROLE_";

        public String getScopePrefix() {
            return scopePrefix;
        }

        public void setScopePrefix(String scopePrefix) {
            this.scopePrefix = scopePrefix;
        }

        public String getRolesClaim() {
            return rolesClaim;
        }

        public void setRolesClaim(String rolesClaim) {
            this.rolesClaim = rolesClaim;
        }

        public String getRolePrefix() {
            return rolePrefix;
        }

        public void setRolePrefix(String rolePrefix) {
            this.rolePrefix = rolePrefix;
        }
    }

    /** The optional OAuth endpoints. */
    public static class Endpoints {

        /** Whether the token, revocation, introspection, JWKS and metadata endpoints are served. */
        private boolean enabled;

        /** The base URL the metadata names the endpoints under; default the issuer. */
        private String baseUrl;

        private String tokenPath = "/oauth2/token";
        private String revocationPath = "/oauth2/revoke";
        private String introspectionPath = "/oauth2/introspect";
        private String jwksPath = "/oauth2/jwks";

        /** The Cache-Control of the JWK set; default from a rotating key provider's lead time, else 5 minutes. */
        private String jwksCacheControl;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String getTokenPath() {
            return tokenPath;
        }

        public void setTokenPath(String tokenPath) {
            this.tokenPath = tokenPath;
        }

        public String getRevocationPath() {
            return revocationPath;
        }

        public void setRevocationPath(String revocationPath) {
            this.revocationPath = revocationPath;
        }

        public String getIntrospectionPath() {
            return introspectionPath;
        }

        public void setIntrospectionPath(String introspectionPath) {
            this.introspectionPath = introspectionPath;
        }

        public String getJwksPath() {
            return jwksPath;
        }

        public void setJwksPath(String jwksPath) {
            this.jwksPath = jwksPath;
        }

        public String getJwksCacheControl() {
            return jwksCacheControl;
        }

        public void setJwksCacheControl(String jwksCacheControl) {
            this.jwksCacheControl = jwksCacheControl;
        }
    }

    /** Token events. */
    public static class Events {

        /**
         * Whether token events are also published as Spring application events (for @EventListener methods).
         * Validated events, one per authenticated request, never are.
         */
        private boolean publishApplicationEvents = true;

        public boolean isPublishApplicationEvents() {
            return publishApplicationEvents;
        }

        public void setPublishApplicationEvents(boolean publishApplicationEvents) {
            this.publishApplicationEvents = publishApplicationEvents;
        }
    }

    /** A client of the endpoints. */
    public static class Client {

        /**
         * The client secret, encoded for Spring Security's PasswordEncoder ({bcrypt}…, {noop}… for tests); unset for
         * a public client.
         */
        private String secret;

        /** The grants it may use besides refresh_token, e.g. client_credentials or password. */
        private List<String> grantTypes = new ArrayList<>();

        /**
         * The scopes it may ask for; empty allows any for refresh and application grants, none for
         * client_credentials.
         */
        private List<String> scopes = new ArrayList<>();

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public List<String> getGrantTypes() {
            return grantTypes;
        }

        public void setGrantTypes(List<String> grantTypes) {
            this.grantTypes = grantTypes;
        }

        public List<String> getScopes() {
            return scopes;
        }

        public void setScopes(List<String> scopes) {
            this.scopes = scopes;
        }
    }
}
