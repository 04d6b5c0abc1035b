package dev.jeton.store.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.store.TokenStore;
import dev.jeton.store.tck.TokenStoreContract;
import dev.jeton.testing.TestClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryTokenStoreTest extends TokenStoreContract {

    @Override
    protected TokenStore createStore(TestClock clock) {
        return new InMemoryTokenStore();
    }

    @Override
    protected long recordCount(TokenStore store) {
        return ((InMemoryTokenStore) store).familyCount();
    }

    @Test
    void expiredFamiliesArePurgedEvenIfTheHostNeverCallsPurge() {
        InMemoryTokenStore memory = (InMemoryTokenStore) store;
        TokenService tokens = service(b -> { });
        for (int i = 0; i < 1_000; i++) {
            tokens.issue(IssueRequest.forSubject("user-" + i).client("web").build());
        }
        clock.advance(Duration.ofHours(10));
        for (int i = 0; i < 1_100; i++) {
            tokens.issue(IssueRequest.forSubject("later-" + i).client("web").build());
        }

        assertThat(memory.familyCount()).isEqualTo(1_100);
    }

    @Test
    void theTestServiceIssuesRefreshesAndValidates() {
        TestClock clock = TestClock.fixed();
        TokenService tokens = InMemoryTokenStore.tokenServiceForTests(clock);

        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("openid").build());
        clock.advance(Duration.ofMinutes(15));
        TokenPair next = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build());

        assertThat(tokens.validate(next.accessToken()).subject()).isEqualTo("alice");
    }
}
