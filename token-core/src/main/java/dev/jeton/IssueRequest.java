package dev.jeton;

import dev.jeton.internal.Json;
import dev.jeton.internal.Options;
import dev.jeton.internal.Scopes;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to issue tokens for: the subject (the user), the client, the granted scopes, and extra claims. Build one with
 * {@link #forSubject(String)}.
 *
 * <p>Subject, client id, scopes, audiences and nonce often come from what a client sent (a user name, a {@code scope},
 * {@code resource} or {@code nonce} parameter), so bad text there is an OAuth error an endpoint can answer with: {@link
 * InvalidRequestException} for the subject, client id and nonce, {@link InvalidScopeException} for the scopes, {@link
 * InvalidTargetException} for the audiences. Claims and the authentication facts ({@code auth_time}, {@code acr},
 * {@code amr}) come from the application, so a bad one is an {@link IllegalArgumentException}. Claims are held to the
 * limits a validator reads back (nesting, sizes, and about 970 JSON values in all), so a token that was issued can
 * always be validated and refreshed.
 *
 * <pre>{@code
 * IssueRequest request = IssueRequest.forSubject("user-123")
 *     .client("web")
 *     .scopes("openid", "profile")
 *     .claim("roles", List.of("admin"))
 *     .nonce(nonceFromTheAuthenticationRequest)      // OIDC: echoed in the ID token of this login only
 *     .authTime(whenTheUserAuthenticated)           // OIDC auth_time; the time of issue if not given
 *     .audiences("https://api.example.com")         // RFC 8707 resources; the service's audience if none
 *     .build();
 * }</pre>
 *
 * @param subject the {@code sub} claim
 * @param clientId the {@code client_id} claim, and the {@code aud} of an ID token
 * @param scopes the granted scopes, in order
 * @param claims extra claims of the access token; never one of {@link #RESERVED_CLAIMS}
 * @param audiences the resources (RFC 8707) the access token is for, in order; empty means the service's audience
 * @param authTime when the user authenticated ({@code auth_time} of ID tokens); empty means the time of issue
 * @param acr the Authentication Context Class Reference of that authentication ({@code acr}), if any
 * @param amr the Authentication Methods References ({@code amr}, RFC 8176), in order; may be empty
 * @param nonce the {@code nonce} of the OIDC authentication request, echoed in this login's ID token only
 */
public record IssueRequest(String subject, String clientId, Set<String> scopes, Map<String, Object> claims,
                           Set<String> audiences, Optional<Instant> authTime, Optional<String> acr, List<String> amr,
                           Optional<String> nonce) {

    /** Claims Jeton sets itself; neither a request nor a customizer may set them. */
    public static final Set<String> RESERVED_CLAIMS = Set.of(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "sid");

    /** The prefix of claim names Jeton keeps for itself in what it stores. */
    static final String INTERNAL_PREFIX = "jeton:";

    private static final int MAX_ID_LENGTH = 255;
    private static final int MAX_NONCE_LENGTH = 1024;
    private static final int MAX_AUDIENCE_LENGTH = 2048;
    private static final int MAX_AUDIENCES = 16;

    /**
     * Checks every component; prefer the builder.
     *
     * @throws InvalidRequestException if the subject or client id is empty, longer than 255 characters or has control
     *     characters, or the nonce is empty, longer than 1,024 characters or has control characters
     * @throws InvalidScopeException if a scope is malformed
     * @throws InvalidTargetException if an audience is empty, longer than 2,048 characters or has control
     *     characters, or there are more than 16
     * @throws IllegalArgumentException if a claim is reserved, not JSON-compatible, or the claims exceed the limits
     *     above; or {@code acr} or an {@code amr} value is blank or has control characters
     */
    public IssueRequest {
        checkId("subject", subject);
        checkId("clientId", clientId);
        scopes = Scopes.check(Objects.requireNonNull(scopes, "scopes"));
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : Objects.requireNonNull(claims, "claims").entrySet()) {
            checkClaimName(e.getKey());
            copy.put(e.getKey(), Json.checkValue(e.getKey(), e.getValue()));
        }
        Json.checkBudget(copy);
        claims = copy.isEmpty() ? Collections.emptyMap() : Collections.unmodifiableMap(copy);
        audiences = checkAudiences(Objects.requireNonNull(audiences, "audiences"));
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(acr, "acr").ifPresent(value -> checkText("acr", value));
        amr = List.copyOf(Objects.requireNonNull(amr, "amr"));
        amr.forEach(value -> checkText("amr", value));
        Objects.requireNonNull(nonce, "nonce").ifPresent(IssueRequest::checkNonce);
    }

    /**
     * A request without audiences, authentication facts or nonce: the service's audience, {@code auth_time} the time
     * of issue.
     *
     * @throws InvalidRequestException if the subject or client id is malformed
     * @throws InvalidScopeException if a scope is malformed
     * @throws IllegalArgumentException if a claim is reserved or not JSON-compatible, or the claims are too large
     */
    public IssueRequest(String subject, String clientId, Set<String> scopes, Map<String, Object> claims) {
        this(subject, clientId, scopes, claims, Set.of(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty());
    }

    /**
     * Starts a request for the given subject (1 to 255 characters, no control characters).
     *
     * @throws InvalidRequestException if the subject is not such a string
     */
    public static Builder forSubject(String subject) {
        checkId("subject", subject);
        return new Builder(subject);
    }

    static void checkId(String what, String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_ID_LENGTH) {
            throw new InvalidRequestException(what + " must be 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new InvalidRequestException(what + " must not contain control characters");
            }
        }
    }

    static void checkClaimName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("claim names must not be empty");
        }
        if (RESERVED_CLAIMS.contains(name)) {
            throw new IllegalArgumentException("claim '" + name + "' is set by Jeton and cannot be overridden; "
                    + "reserved claims are " + RESERVED_CLAIMS);
        }
        if (name.startsWith(INTERNAL_PREFIX)) {
            throw new IllegalArgumentException("claim names starting with '" + INTERNAL_PREFIX + "' are kept for "
                    + "Jeton's own use");
        }
    }

    /** Checks requested audiences (RFC 8707 resources): shape only; whether this service issues for them is later. */
    static Set<String> checkAudiences(Collection<String> audiences) {
        if (audiences.size() > MAX_AUDIENCES) {
            throw new InvalidTargetException("at most " + MAX_AUDIENCES + " resources may be requested, got "
                    + audiences.size());
        }
        Set<String> copy = new LinkedHashSet<>();
        for (String audience : audiences) {
            if (audience == null || audience.isEmpty() || audience.length() > MAX_AUDIENCE_LENGTH
                    || audience.chars().anyMatch(Character::isISOControl)) {
                throw new InvalidTargetException("a resource must be 1 to " + MAX_AUDIENCE_LENGTH
                        + " characters without control characters");
            }
            copy.add(audience);
        }
        return copy.isEmpty() ? Collections.emptySet() : Collections.unmodifiableSet(copy);
    }

    private static void checkNonce(String nonce) {
        if (nonce.isEmpty() || nonce.length() > MAX_NONCE_LENGTH || nonce.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException("nonce must be 1 to " + MAX_NONCE_LENGTH
                    + " characters without control characters");
        }
    }

    private static String checkText(String what, String value) {
        if (value.isBlank() || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " values must not be blank or have control characters");
        }
        return value;
    }

    /** Builds an {@link IssueRequest}; each setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private final String subject;
        private String clientId;
        private Set<String> scopes = Set.of();
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private Set<String> audiences = Set.of();
        private Instant authTime;
        private String acr;
        private List<String> amr = List.of();
        private String nonce;

        private Builder(String subject) {
            this.subject = subject;
        }

        /**
         * The client the tokens are issued to ({@code client_id}). Required.
         *
         * @throws InvalidRequestException if it is empty, longer than 255 characters or has control characters
         */
        public Builder client(String clientId) {
            checkId("clientId", clientId);
            if (this.clientId != null) {
                throw new IllegalStateException("client was already set to " + this.clientId);
            }
            this.clientId = clientId;
            return this;
        }

        /**
         * The granted scopes, in order. Replaces earlier scopes.
         *
         * @throws InvalidScopeException if a scope is malformed
         */
        public Builder scopes(String... scopes) {
            return scopes(Arrays.asList(scopes));
        }

        /**
         * The granted scopes, in order. Replaces earlier scopes.
         *
         * @throws InvalidScopeException if a scope is malformed
         */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = Scopes.check(scopes);
            return this;
        }

        /**
         * An extra claim: a String, Boolean, number, or a List or Map of those.
         *
         * @throws IllegalArgumentException if the name is reserved or the value is not JSON-compatible
         */
        public Builder claim(String name, Object value) {
            checkClaimName(name);
            claims.put(name, Json.checkValue(name, value));
            return this;
        }

        /**
         * The resources (RFC 8707 {@code resource} parameters) the access token is for: its {@code aud}. Each must be
         * one the service issues for ({@link TokenService.Builder#audience}, {@link
         * TokenService.Builder#additionalAudiences}), else the issue fails with {@link InvalidTargetException}.
         * Replaces earlier audiences; none means the service's audience.
         *
         * @throws InvalidTargetException if one is malformed, or there are more than 16
         */
        public Builder audiences(String... audiences) {
            return audiences(Arrays.asList(audiences));
        }

        /**
         * The resources the access token is for; see {@link #audiences(String...)}.
         *
         * @throws InvalidTargetException if one is malformed, or there are more than 16
         */
        public Builder audiences(Collection<String> audiences) {
            this.audiences = checkAudiences(Objects.requireNonNull(audiences, "audiences"));
            return this;
        }

        /**
         * When the user authenticated: the {@code auth_time} of this login's ID tokens, kept unchanged on refresh.
         * Default: the time of issue.
         *
         * @throws IllegalStateException if already set
         */
        public Builder authTime(Instant authTime) {
            Options.requireNotSet("authTime", this.authTime);
            this.authTime = Objects.requireNonNull(authTime, "authTime");
            return this;
        }

        /**
         * The Authentication Context Class Reference ({@code acr}) of the authentication, for ID tokens.
         *
         * @throws IllegalArgumentException if blank or with control characters
         * @throws IllegalStateException if already set
         */
        public Builder acr(String acr) {
            Options.requireNotSet("acr", this.acr);
            this.acr = checkText("acr", Objects.requireNonNull(acr, "acr"));
            return this;
        }

        /**
         * The Authentication Methods References ({@code amr}, RFC 8176, e.g. {@code pwd}, {@code otp}), for ID tokens.
         * Replaces earlier values.
         *
         * @throws IllegalArgumentException if one is blank or has control characters
         */
        public Builder amr(String... methods) {
            for (String method : methods) {
                checkText("amr", Objects.requireNonNull(method, "amr"));
            }
            this.amr = List.of(methods);
            return this;
        }

        /**
         * The {@code nonce} of the OIDC authentication request, echoed in the ID token of this login and never in
         * those of its refreshes (OIDC Core §12.2).
         *
         * @throws InvalidRequestException if empty, longer than 1,024 characters or with control characters
         * @throws IllegalStateException if already set
         */
        public Builder nonce(String nonce) {
            Options.requireNotSet("nonce", this.nonce);
            checkNonce(Objects.requireNonNull(nonce, "nonce"));
            this.nonce = nonce;
            return this;
        }

        /**
         * Builds the request.
         *
         * @throws IllegalStateException if no client was set
         * @throws IllegalArgumentException if the claims together exceed the limits a validator reads back
         */
        public IssueRequest build() {
            if (clientId == null) {
                throw new IllegalStateException("client(...) is required: access tokens carry client_id (RFC 9068)");
            }
            return new IssueRequest(subject, clientId, scopes, claims, audiences, Optional.ofNullable(authTime),
                    Optional.ofNullable(acr), amr, Optional.ofNullable(nonce));
        }
    }
}
