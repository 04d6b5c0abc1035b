package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * The attack the generation-counted format must withstand: someone who knows only a session id (the {@code sid} of
 * every access token, the sessions list) builds well-formed refresh tokens of every old generation and presents them,
 * hoping one counts as reuse and revokes the victim's session. The token names its family by a reference the session
 * id is a one-way hash of, so none of them even finds the family.
 */
class ForgedSessionIdTest {

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final TestClock clock = TestClock.fixed();
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();
    private final TokenService tokens = TokenService.builder().issuer("https://issuer.test")
            .audience("https://api.test").keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.ES256)))
            .store(new InMemoryTokenStore()).clock(clock).eventListener(events::add).build();
    private final SecureRandom random = new SecureRandom();

    /** A well-formed token: prefix, 22-character reference, 6-character generation, 43-character secret, CRC. */
    private String forge(String reference, long generation) {
        StringBuilder body = new StringBuilder("jrt_").append(reference);
        char[] g = new char[6];
        for (int i = 5; i >= 0; i--) {
            g[i] = BASE62.charAt((int) (generation % 62));
            generation /= 62;
        }
        body.append(g);
        for (int i = 0; i < 43; i++) {
            body.append(BASE62.charAt(random.nextInt(62)));
        }
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] checksum = new char[6];
        for (int i = 5; i >= 0; i--) {
            checksum[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return body.append(checksum).toString();
    }

    /** Every way to turn the 22-character session id into a 22-character base62 reference. */
    private static List<String> referencesFrom(String sessionId) {
        List<String> references = new ArrayList<>();
        references.add(sessionId.replace('-', '0').replace('_', '1'));
        references.add(new StringBuilder(sessionId).reverse().toString().replace('-', 'A').replace('_', 'B'));
        StringBuilder digits = new StringBuilder();
        for (char c : sessionId.toCharArray()) {
            digits.append(BASE62.charAt(c % 62));
        }
        references.add(digits.toString());
        return references;
    }

    private RefreshRequest request(String token) {
        return RefreshRequest.of(token).client("web").build();
    }

    @Test
    void tokensBuiltFromTheSessionIdNeverCountAsReuse() {
        TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
        String current = login.refreshToken().orElseThrow();
        for (int i = 0; i < 5; i++) {
            current = tokens.refresh(request(current)).refreshToken().orElseThrow();
        }
        String sessionId = tokens.validate(login.accessToken()).sessionId().orElseThrow();
        assertThat(tokens.sessions("alice")).extracting(s -> s.id()).containsExactly(sessionId);

        for (String reference : referencesFrom(sessionId)) {
            for (long generation = 0; generation <= 6; generation++) {
                String forged = forge(reference, generation);
                assertThatThrownBy(() -> tokens.refresh(request(forged)))
                        .isInstanceOfSatisfying(InvalidGrantException.class,
                                e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN));
                tokens.revoke(forged);
            }
        }

        assertThat(events).noneMatch(e -> e instanceof TokenEvent.ReuseDetected || e instanceof TokenEvent.Revoked);
        assertThat(tokens.sessions("alice")).hasSize(1);
        assertThat(tokens.refresh(request(current)).refreshToken()).isPresent();
    }

    @Test
    void aRealTokenOfAnyEarlierGenerationIsReuseHoweverOld() {
        String first = tokens.issue(IssueRequest.forSubject("alice").client("web").build())
                .refreshToken().orElseThrow();
        String current = first;
        for (int i = 0; i < 50; i++) {
            current = tokens.refresh(request(current)).refreshToken().orElseThrow();
        }

        assertThatThrownBy(() -> tokens.refresh(request(first)))
                .isInstanceOfSatisfying(InvalidGrantException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REUSED));
        assertThat(events).anyMatch(e -> e instanceof TokenEvent.ReuseDetected);
        assertThat(tokens.sessions("alice")).isEmpty();
    }

    @Test
    void aGenerationTheFamilyNeverReachedIsUnknownAndRevokesNothing() {
        String token = tokens.issue(IssueRequest.forSubject("alice").client("web").build())
                .refreshToken().orElseThrow();
        String reference = token.substring(4, 26);

        assertThatThrownBy(() -> tokens.refresh(request(forge(reference, 7))))
                .isInstanceOfSatisfying(InvalidGrantException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN));
        assertThat(tokens.sessions("alice")).hasSize(1);
        assertThat(tokens.refresh(request(token)).refreshToken()).isPresent();
    }
}
