package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.RefreshRotation;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a store holds: a fixed number of records per login whatever the number of refreshes, and nothing that is a
 * usable token.
 */
abstract class FootprintChecks extends ContractGroup {

    FootprintChecks(TokenStoreContract contract) {
        super(contract);
    }

    @Test
    void aLoginKeepsTheSameNumberOfRecordsOverAThousandRefreshes() {
        TokenService tokens = service(b -> b.reuseGrace(Records.GRACE).reuseGraceUses(2));
        assertThat(recordCount()).as("records of an empty store").isZero();
        TokenPair pair = tokens.issue(login("olga"));
        long perLogin = recordCount();
        assertThat(perLogin).as("records of one login").isPositive();

        for (int i = 1; i <= 1_000; i++) {
            clock().advance(Duration.ofSeconds(1));
            TokenPair previous = pair;
            pair = tokens.refresh(refreshOf(pair));
            if (i % 100 == 0) {
                tokens.refresh(refreshOf(previous));
            }
            assertThat(recordCount()).as("records after %d refreshes", i).isEqualTo(perLogin);
        }

        assertThat(stored(pair.sessionId().orElseThrow()).generation()).isEqualTo(1_000);
        tokens.issue(login("oscar"));
        assertThat(recordCount()).as("records of two logins").isEqualTo(2 * perLogin);
    }

    @Test
    void aLoginInReuseModeKeepsTheSameNumberOfRecordsOverAThousandRefreshes() {
        TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
        TokenPair pair = tokens.issue(login("olga"));
        long perLogin = recordCount();

        for (int i = 1; i <= 1_000; i++) {
            clock().advance(Duration.ofSeconds(1));
            tokens.refresh(refreshOf(pair));
        }

        assertThat(recordCount()).isEqualTo(perLogin);
    }

    @Test
    void noStoredValueHoldsARefreshTokenItsSecretItsFamilyReferenceOrAnAccessToken() {
        TokenService tokens = service(b -> b.reuseGrace(Records.GRACE).reuseGraceUses(2));
        List<String> secrets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TokenPair pair = tokens.issue(login("pat-" + i));
            TokenPair next = tokens.refresh(refreshOf(pair));
            tokens.refresh(refreshOf(pair));
            for (TokenPair p : List.of(pair, next)) {
                String refresh = p.refreshToken().orElseThrow();
                int body = refresh.indexOf('_') + 1;
                secrets.add(refresh);
                secrets.add(refresh.substring(body, body + 22));
                secrets.add(refresh.substring(body + 28, body + 28 + 43));
                secrets.add(p.accessToken());
            }
        }
        tokens.revoke(tokens.issue(login("pat-x")).accessToken());

        List<String> stored = new ArrayList<>();
        storedValues().forEach(value -> stored.add(HeapValues.text(value)));

        assertThat(stored).isNotEmpty();
        for (String value : stored) {
            for (String secret : secrets) {
                assertThat(value).as("a stored value").doesNotContain(secret);
            }
        }
    }
}
