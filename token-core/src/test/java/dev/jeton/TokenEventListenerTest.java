package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEventListenerTest {

    private static final TokenEvent EVENT = new TokenEvent.ValidationFailed(Instant.EPOCH,
            InvalidTokenException.Reason.EXPIRED);

    @Test
    void compositeHandsEachEventToEveryListenerInOrder() {
        List<String> seen = new ArrayList<>();
        TokenEventListener composite = TokenEventListener.composite(
                event -> seen.add("audit " + event.at()), event -> seen.add("metrics " + event.at()));

        composite.onEvent(EVENT);

        assertThat(seen).containsExactly("audit 1970-01-01T00:00:00Z", "metrics 1970-01-01T00:00:00Z");
    }

    @Test
    void aThrowingListenerDoesNotKeepTheEventFromTheOthers() {
        List<TokenEvent> seen = new ArrayList<>();
        TokenEventListener composite = TokenEventListener.composite(List.of(
                event -> {
                    throw new IllegalStateException("broken listener");
                },
                seen::add));

        composite.onEvent(EVENT);

        assertThat(seen).containsExactly(EVENT);
    }

    @Test
    void aServiceWithACompositeSendsIssueEventsToEveryListener() {
        List<TokenEvent> first = new ArrayList<>();
        List<TokenEvent> second = new ArrayList<>();
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate(JwsAlgorithm.ES256)))
                .eventListener(TokenEventListener.composite(first::add, second::add))
                .build();

        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());

        assertThat(first).singleElement().isInstanceOf(TokenEvent.Issued.class);
        assertThat(second).isEqualTo(first);
        assertThat(((TokenEvent.Issued) first.get(0)).jti()).isEqualTo(pair.accessTokenId());
    }

    @Test
    void nullListenersAreRefused() {
        assertThatThrownBy(() -> TokenEventListener.composite((TokenEventListener) null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> TokenEventListener.composite((List<TokenEventListener>) null))
                .isInstanceOf(NullPointerException.class);
    }
}
