package dev.jeton.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TestServicesTest {

    @Test
    void theTestServiceIssuesRefreshesAndValidates() {
        TestClock clock = TestClock.fixed();
        TokenService tokens = TestServices.tokenService(clock);

        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("openid").build());
        clock.advance(Duration.ofMinutes(15));
        TokenPair next = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build());

        VerifiedAccessToken verified = tokens.validate(next.accessToken());
        assertThat(verified.subject()).isEqualTo("alice");
        assertThat(verified.issuer()).isEqualTo(TestServices.ISSUER);
        assertThat(verified.audience()).containsExactly(TestServices.AUDIENCE);
        assertThat(verified.issuedAt()).isEqualTo(clock.instant());
    }

    @Test
    void eachServiceHasItsOwnStoreAndKey() {
        TestClock clock = TestClock.fixed();
        TokenService one = TestServices.tokenService(clock);
        TokenService other = TestServices.tokenService(clock);

        TokenPair pair = one.issue(IssueRequest.forSubject("alice").client("web").build());

        assertThat(other.sessions("alice")).isEmpty();
        assertThat(other.introspect(pair.accessToken()).active()).isFalse();
    }
}
