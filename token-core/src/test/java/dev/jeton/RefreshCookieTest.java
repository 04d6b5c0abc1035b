package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The refresh token in an HttpOnly cookie, for browser clients (issue 15, item 6). */
class RefreshCookieTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String TOKEN = "jrt_0123456789abcdefABCDEF";

    private final TestClock clock = TestClock.at(NOW);

    private static TokenPair pair(Instant sessionExpiresAt) {
        return new TokenPair("a.b.c", "jti", Duration.ofMinutes(15), NOW.plusSeconds(900), Set.of(),
                Optional.of(TOKEN), Optional.of("sid"), Optional.empty(), Optional.of(sessionExpiresAt));
    }

    @Test
    void setCookieIsHttpOnlySecureStrictNarrowedAndLivesAsLongAsTheLogin() {
        RefreshCookie cookie = RefreshCookie.builder("/oauth/refresh").clock(clock).build();
        clock.advance(Duration.ofDays(1));

        assertThat(cookie.set(pair(NOW.plus(Duration.ofDays(90))))).isEqualTo("__Secure-jeton_rt=" + TOKEN
                + "; Path=/oauth/refresh; Max-Age=" + Duration.ofDays(89).toSeconds()
                + "; HttpOnly; Secure; SameSite=Strict");
    }

    @Test
    void theHostPrefixWhereThePathAllowsIt() {
        RefreshCookie cookie = RefreshCookie.builder("/").name("rt").clock(clock).build();

        assertThat(cookie.name()).isEqualTo("__Host-rt");
        assertThat(cookie.set(pair(NOW.plusSeconds(60)))).startsWith("__Host-rt=" + TOKEN + "; Path=/; Max-Age=60;");
    }

    @Test
    void clearedOnLogoutAndWhenReuseIsDetectedButNotForAnotherClientOrAScopeError() {
        RefreshCookie cookie = RefreshCookie.builder("/oauth/refresh").build();
        String cleared = "__Secure-jeton_rt=; Path=/oauth/refresh; Max-Age=0; HttpOnly; Secure; SameSite=Strict";

        assertThat(cookie.clear()).isEqualTo(cleared);
        assertThat(cookie.clearAfter(new InvalidGrantException(InvalidGrantException.Reason.REUSED, "reused")))
                .contains(cleared);
        assertThat(cookie.clearAfter(new InvalidGrantException(InvalidGrantException.Reason.CLIENT_MISMATCH, "x")))
                .isEmpty();
        assertThat(cookie.clearAfter(new InvalidScopeException("x"))).isEmpty();
    }

    @Test
    void aRefreshByCookieNeedsTheCsrfHeader() {
        RefreshCookie cookie = RefreshCookie.builder("/oauth/refresh").build();
        String header = "theme=dark; __Secure-jeton_rt=" + TOKEN + "; lang=fr";

        assertThat(cookie.refreshRequest(Optional.of(header), Optional.of("1")).client("spa").build().refreshToken())
                .isEqualTo(TOKEN);
        for (Optional<String> missing : List.of(Optional.<String>empty(), Optional.of(""), Optional.of(" "))) {
            assertThatThrownBy(() -> cookie.refreshRequest(Optional.of(header), missing))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("X-Jeton-Refresh");
        }
    }

    @Test
    void noCookieOrTwoCookiesAreRefusedAndNeitherMessageShowsTheToken() {
        RefreshCookie cookie = RefreshCookie.builder("/oauth/refresh").build();

        assertThatThrownBy(() -> cookie.refreshRequest(Optional.of("theme=dark"), Optional.of("1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no refresh cookie");
        assertThatThrownBy(() -> cookie.refreshRequest(Optional.empty(), Optional.of("1")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no refresh cookie");
        assertThatThrownBy(() -> cookie.read("__Secure-jeton_rt=" + TOKEN + "; __Secure-jeton_rt=planted"))
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN).doesNotContain("planted"));
        assertThat(cookie.read("")).isEmpty();
        assertThat(cookie.read("jeton_rt=" + TOKEN)).isEmpty();
    }

    @Test
    void aPairWithoutARefreshTokenOrABadPathIsRefused() {
        RefreshCookie cookie = RefreshCookie.builder("/oauth/refresh").build();
        TokenPair accessOnly = new TokenPair("a.b.c", "jti", Duration.ofMinutes(15), NOW, Set.of(),
                Optional.empty(), Optional.empty());

        assertThatThrownBy(() -> cookie.set(accessOnly)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RefreshCookie.builder("oauth")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RefreshCookie.builder("/a;Domain=evil.example"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
