package dev.jeton;

import dev.jeton.internal.Options;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a browser client's refresh token in an {@code HttpOnly} cookie, so that no script of the page can read it (as
 * OAuth 2.0 for Browser-Based Apps advises), without any web framework: it renders {@code Set-Cookie} values and reads
 * the token back from a {@code Cookie} header.
 *
 * <pre>{@code
 * RefreshCookie cookie = RefreshCookie.builder("/oauth/refresh").build();
 * // login:   response header  Set-Cookie: cookie.set(pair)   (and the body without refresh_token)
 * // refresh: RefreshRequest request = cookie.refreshRequest(headers.first("Cookie"),
 * //              headers.first(cookie.csrfHeader())).client("spa").build();   // each an Optional<String>
 * // logout:  Set-Cookie: cookie.clear()
 * // failure: cookie.clearAfter(exception).ifPresent(value -> response.addHeader("Set-Cookie", value))
 * }</pre>
 *
 * <p>The cookie is {@code HttpOnly}, {@code Secure}, {@code SameSite=Strict}, its {@code Path} the refresh endpoint
 * (so the browser sends it there and nowhere else), and its {@code Max-Age} what remains of the login's absolute
 * lifetime, so it never outlives the token. With the path {@code /} its name takes the {@code __Host-} prefix (the
 * browser then refuses it from a sibling subdomain or over http); a narrower path cannot have it, so the name takes
 * {@code __Secure-}.
 *
 * <p><b>CSRF.</b> A browser attaches cookies to requests a foreign page makes, so a refresh by cookie must prove it
 * comes from the application's own script: {@link #refreshRequest} requires the {@linkplain Builder#csrfHeader custom
 * header}. A page of another origin cannot set a custom header on a cross-origin request without a CORS preflight the
 * endpoint does not grant, and a form or a link cannot set one at all. {@code SameSite=Strict} already keeps the
 * cookie off cross-site requests; the header also covers same-site attackers (a sibling subdomain) and browsers
 * without SameSite.
 *
 * <p>Immutable and thread-safe. Nothing here logs or puts a token in an exception message.
 */
public final class RefreshCookie {

    private final String name;
    private final String path;
    private final String csrfHeader;
    private final Clock clock;

    private RefreshCookie(Builder b) {
        this.path = b.path;
        this.name = (path.equals("/") ? "__Host-" : "__Secure-") + (b.name != null ? b.name : "jeton_rt");
        this.csrfHeader = b.csrfHeader != null ? b.csrfHeader : "X-Jeton-Refresh";
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    }

    /**
     * Starts a cookie for the refresh endpoint at {@code path}, e.g. {@code /oauth/refresh}.
     *
     * @throws IllegalArgumentException if the path does not start with {@code /} or holds a character a cookie
     *     attribute cannot (control characters, spaces, {@code ;})
     */
    public static Builder builder(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';')) {
            throw new IllegalArgumentException("path must start with / and hold no spaces, control characters or ;");
        }
        return new Builder(path);
    }

    /** The cookie's name, with its {@code __Host-} or {@code __Secure-} prefix. */
    public String name() {
        return name;
    }

    /** The header a refresh by cookie must carry, non-empty: the CSRF defence. */
    public String csrfHeader() {
        return csrfHeader;
    }

    /**
     * The {@code Set-Cookie} value that stores {@code pair}'s refresh token until its login's absolute expiry. Send it
     * after each login and each refresh (in REUSE mode too: the Max-Age counts down).
     *
     * @throws IllegalArgumentException if {@code pair} has no refresh token or no session expiry (a service without a
     *     store, or {@link TokenService#issueAccessToken})
     */
    public String set(TokenPair pair) {
        Objects.requireNonNull(pair, "pair");
        String token = pair.refreshToken().orElseThrow(
                () -> new IllegalArgumentException("the pair has no refresh token to keep in a cookie"));
        Instant expiry = pair.sessionExpiresAt().orElseThrow(
                () -> new IllegalArgumentException("the pair has no session expiry"));
        long maxAge = Math.max(0, Duration.between(clock.instant(), expiry).getSeconds());
        return render(token, maxAge);
    }

    /** The {@code Set-Cookie} value that deletes the cookie: send it on logout. */
    public String clear() {
        return render("", 0);
    }

    /**
     * The {@code Set-Cookie} value that deletes the cookie when a refresh failed in a way that makes its token useless:
     * any {@code invalid_grant} (reuse detected, revoked, expired, unknown, malformed) except a wrong client, whose
     * token still serves its own client. Empty for other failures (scope, store), which consumed nothing.
     */
    public Optional<String> clearAfter(TokenException failure) {
        if (failure instanceof InvalidGrantException grant
                && grant.reason() != InvalidGrantException.Reason.CLIENT_MISMATCH) {
            return Optional.of(clear());
        }
        return Optional.empty();
    }

    /**
     * The refresh token of a {@code Cookie} request header, if it carries this cookie.
     *
     * @param cookieHeader the value of a {@code Cookie} header
     * @throws InvalidRequestException if the header carries this cookie twice (a cookie planted for a wider path or
     *     domain beside the real one): the request is refused rather than guessing which is real
     */
    public Optional<String> read(String cookieHeader) {
        Objects.requireNonNull(cookieHeader, "cookieHeader");
        String found = null;
        for (String pair : cookieHeader.split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(name)) {
                if (found != null) {
                    throw new InvalidRequestException("the request carries the refresh cookie " + name + " twice");
                }
                found = pair.substring(eq + 1).trim();
            }
        }
        return Optional.ofNullable(found).filter(value -> !value.isEmpty());
    }

    /**
     * Starts the refresh of a request that came by cookie: checks the CSRF header, then reads the token. Set the
     * client (and any narrower scopes) on the returned builder. Either header may be missing from a request, so each
     * is passed as it came: {@code Optional.ofNullable(request.getHeader("Cookie"))}.
     *
     * @param cookieHeader the request's {@code Cookie} header, empty when it had none
     * @param csrfHeaderValue the request's {@link #csrfHeader()}, empty when it had none
     * @throws InvalidRequestException if the CSRF header is missing or blank, or there is no refresh cookie, or two
     */
    public RefreshRequest.Builder refreshRequest(Optional<String> cookieHeader, Optional<String> csrfHeaderValue) {
        Objects.requireNonNull(cookieHeader, "cookieHeader");
        if (csrfHeaderValue.filter(value -> !value.isBlank()).isEmpty()) {
            throw new InvalidRequestException("a refresh by cookie needs the " + csrfHeader + " header");
        }
        return RefreshRequest.of(cookieHeader.flatMap(this::read).orElseThrow(
                () -> new InvalidRequestException("the request carries no refresh cookie " + name)));
    }

    private String render(String value, long maxAge) {
        if (!value.chars().allMatch(RefreshCookie::isCookieOctet)) {
            throw new IllegalArgumentException("the refresh token holds a character a cookie value cannot");
        }
        return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge
                + "; HttpOnly; Secure; SameSite=Strict";
    }

    /** RFC 6265 §4.1.1 cookie-octet. */
    private static boolean isCookieOctet(int c) {
        return c == 0x21 || c >= 0x23 && c <= 0x2B || c >= 0x2D && c <= 0x3A || c >= 0x3C && c <= 0x5B
                || c >= 0x5D && c <= 0x7E;
    }

    @Override
    public String toString() {
        return "RefreshCookie[" + name + ", Path=" + path + ", csrf header " + csrfHeader + "]";
    }

    /** Configures a {@link RefreshCookie}. Each option may be set once. Not thread-safe. */
    public static final class Builder {
        private final String path;
        private String name;
        private String csrfHeader;
        private Clock clock;

        private Builder(String path) {
            this.path = path;
        }

        /**
         * The cookie's name before its prefix; default {@code jeton_rt}.
         *
         * @throws IllegalArgumentException if it is not 1 to 64 letters, digits, {@code _} or {@code -}
         */
        public Builder name(String name) {
            Options.requireNotSet("name", this.name);
            this.name = token("name", name);
            return this;
        }

        /**
         * The custom header a refresh by cookie must carry; default {@code X-Jeton-Refresh}. Any non-empty value will
         * do: what counts is that a foreign page cannot send it.
         *
         * @throws IllegalArgumentException if it is not 1 to 64 letters, digits, {@code _} or {@code -}
         */
        public Builder csrfHeader(String header) {
            Options.requireNotSet("csrfHeader", this.csrfHeader);
            this.csrfHeader = token("csrfHeader", header);
            return this;
        }

        /** The clock that counts down Max-Age; default {@link Clock#systemUTC()}. Use the service's. */
        public Builder clock(Clock clock) {
            Options.requireNotSet("clock", this.clock);
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Builds the cookie helper. */
        public RefreshCookie build() {
            return new RefreshCookie(this);
        }

        private static String token(String option, String value) {
            Objects.requireNonNull(value, option);
            if (value.isEmpty() || value.length() > 64 || !value.chars().allMatch(c -> c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                throw new IllegalArgumentException(option + " must be 1 to 64 letters, digits, _ or -");
            }
            return value;
        }
    }
}
