package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.tck.ForwardingTokenStore;
import dev.jeton.testing.TestClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A family whose stored claims cannot be read (a store bug, a hand-edited row) fails its own refresh with a typed
 * {@link TokenStoreException} and never breaks the subject's other sessions: sessions, log out everywhere and the
 * other logins' refreshes never parse claims.
 */
class UnreadableFamilyTest {

    private static final KeyProvider KEYS = KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.ES256));

    private final TestClock clock = TestClock.fixed();
    private final InMemoryTokenStore memory = new InMemoryTokenStore();
    private volatile String broken = "";

    /** Serves one family's record with claims that are not JSON, as a corrupted row would. */
    private final TokenStore store = new ForwardingTokenStore(memory) {
        @Override
        public Optional<FamilyRecord> findFamily(String familyId) {
            return super.findFamily(familyId).map(this::corruptIfBroken);
        }

        @Override
        public List<FamilyRecord> liveFamilies(String subject, Instant now) {
            return super.liveFamilies(subject, now).stream().map(this::corruptIfBroken).toList();
        }

        private FamilyRecord corruptIfBroken(FamilyRecord record) {
            if (!record.id().equals(broken)) {
                return record;
            }
            RefreshFamily f = record.family();
            return new FamilyRecord(new RefreshFamily(f.id(), f.subject(), f.clientId(), f.scopes(), "{\"roles\": [",
                    f.createdAt(), f.expiresAt()), record.generation(), record.currentHash(), record.idleExpiresAt(),
                    record.grace(), record.revocation());
        }
    };

    private TokenService service() {
        // A service with no session cache, as a second instance that never saw these logins would be.
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test").keys(KEYS)
                .store(store).clock(clock).sessionCache(0).build();
    }

    @Test
    void anUnreadableFamilyFailsItsOwnRefreshTypedAndLeavesTheSubjectsOtherSessionsWorking() {
        TokenService tokens = service();
        TokenPair first = tokens.issue(IssueRequest.forSubject("alice").client("web").claim("roles", List.of("a"))
                .build());
        TokenPair second = tokens.issue(IssueRequest.forSubject("alice").client("mobile").build());
        broken = first.sessionId().orElseThrow();

        assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(first.refreshToken().orElseThrow()).client("web")
                .build()))
                .isInstanceOf(TokenStoreException.class).hasMessageContaining(broken)
                .hasMessageNotContaining(first.refreshToken().orElseThrow());
        assertThat(tokens.sessions("alice")).hasSize(2);
        assertThat(tokens.refresh(RefreshRequest.of(second.refreshToken().orElseThrow()).client("mobile").build())
                .refreshToken()).isPresent();
        assertThat(tokens.revokeAll("alice")).isEqualTo(2);
        assertThat(tokens.sessions("alice")).isEmpty();
    }
}
