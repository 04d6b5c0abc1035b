package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidRequestException;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fuzzing of refresh-token parsing and of the refresh state machine with Jazzer, on the in-memory store. Each input
 * is a short program run against a fresh {@link TokenService}: issue, refresh (a token of the pool, a mutation of one,
 * or any string), revoke, introspect, validate, log out everywhere, move the clock, purge. The properties:
 * <ul>
 *   <li>an empty token is refused with {@link InvalidRequestException} when the request is built; refresh throws
 *       only {@link InvalidGrantException} or {@link InvalidScopeException}; validate only
 *       {@link InvalidTokenException}; revoke, introspect, revokeAll and purge throw nothing;</li>
 *   <li>a family that was revoked (logout, log out everywhere, reuse detected) never refreshes again;</li>
 *   <li>a successful refresh returns tokens that introspect active and validate;</li>
 *   <li>once the clock is past every family's absolute expiry, a purge leaves the store empty.</li>
 * </ul>
 *
 * <p>In the normal suite this runs in regression mode on the seeds under
 * {@code src/test/resources/dev/jeton/refresh/RefreshFuzzTestInputs} (100 inputs of a fuzzing run). To fuzz,
 * see README, "Contributing"; pass {@code -Djazzer.instrument=dev.jeton.**} so that coverage includes TokenService.
 */
class RefreshFuzzTest {

    private static final JwtKey KEY = JwtKey.generate("fuzz", JwsAlgorithm.HS256);
    private static final Duration MAX_TTL = Duration.ofDays(30);
    private static final String[] CLIENTS = {"web", "mobile"};
    private static final String[] SCOPES = {"openid", "profile", "admin"};
    private static final byte[] PEPPER = "a pepper of at least thirty-two bytes".getBytes(StandardCharsets.US_ASCII);

    private record Held(String refreshToken, String accessToken, String familyId, String subject) {
    }

    @FuzzTest
    void refreshStateMachine(FuzzedDataProvider data) {
        TestClock clock = TestClock.fixed();
        InMemoryTokenStore store = new InMemoryTokenStore();
        TokenService tokens = TokenService.builder()
                .issuer("https://auth.example.com").audience("https://api.example.com")
                .keys(KeyProvider.of(KEY)).store(store).clock(clock)
                .refreshTokenIdleTtl(Duration.ofDays(1)).refreshTokenMaxTtl(MAX_TTL)
                .reuseGrace(Duration.ofSeconds(data.consumeBoolean() ? 5 : 0))
                .refreshTokenPepper(PEPPER)
                .revocationAwareValidation(Duration.ZERO)
                .build();
        List<Held> pool = new ArrayList<>();
        Set<String> revokedFamilies = new HashSet<>();
        Instant lastIssue = null;

        for (int step = 0; step < 16 && data.remainingBytes() > 0; step++) {
            switch (data.consumeInt(0, 7)) {
                case 0 -> {
                    String subject = "user-" + data.consumeInt(0, 3);
                    TokenPair pair = tokens.issue(IssueRequest.forSubject(subject).client(data.pickValue(CLIENTS))
                            .scopes("openid", "profile").build());
                    pool.add(new Held(pair.refreshToken().orElseThrow(), pair.accessToken(),
                            pair.sessionId().orElseThrow(), subject));
                    lastIssue = clock.instant();
                }
                case 1 -> refresh(tokens, data, pool, revokedFamilies);
                case 2 -> {
                    Pick pick = pick(data, pool);
                    tokens.revoke(pick.token);
                    if (pick.held != null && pick.token.equals(pick.held.refreshToken)) {
                        revokedFamilies.add(pick.held.familyId);
                    }
                }
                case 3 -> tokens.introspect(pick(data, pool).token);
                case 4 -> {
                    try {
                        tokens.validate(pick(data, pool).token);
                    } catch (InvalidTokenException expected) {
                        assertThat(expected.reason()).isNotNull();
                    }
                }
                case 5 -> clock.advance(switch (data.consumeInt(0, 3)) {
                    case 0 -> Duration.ofSeconds(1);
                    case 1 -> Duration.ofMinutes(10);
                    case 2 -> Duration.ofDays(1);
                    default -> MAX_TTL.plusDays(1);
                });
                case 6 -> {
                    String subject = "user-" + data.consumeInt(0, 3);
                    tokens.revokeAll(subject);
                    pool.stream().filter(held -> held.subject.equals(subject))
                            .forEach(held -> revokedFamilies.add(held.familyId));
                }
                default -> {
                    tokens.purgeExpired();
                    if (lastIssue == null || !clock.instant().isBefore(lastIssue.plus(MAX_TTL))) {
                        assertThat(store.familyCount()).isZero();
                    }
                }
            }
        }
    }

    private static void refresh(TokenService tokens, FuzzedDataProvider data, List<Held> pool,
                                Set<String> revokedFamilies) {
        Pick pick = pick(data, pool);
        Set<String> scopes = new HashSet<>();
        for (String scope : SCOPES) {
            if (data.consumeBoolean()) {
                scopes.add(scope);
            }
        }
        if (pick.token.isEmpty()) {
            // A missing refresh_token parameter is refused when the request is built, before the service sees it.
            assertThatThrownBy(() -> RefreshRequest.of(pick.token)).isInstanceOf(InvalidRequestException.class);
            return;
        }
        RefreshRequest request = RefreshRequest.of(pick.token).client(data.pickValue(CLIENTS)).scopes(scopes).build();
        TokenPair next;
        try {
            next = tokens.refresh(request);
        } catch (InvalidGrantException e) {
            assertThat(e.reason()).isNotNull();
            if (e.reason() == InvalidGrantException.Reason.REUSED && pick.held != null) {
                revokedFamilies.add(pick.held.familyId);
            }
            return;
        } catch (InvalidScopeException e) {
            assertThat(scopes).contains("admin");
            return;
        }
        assertThat(pick.held).as("a refresh succeeded with a token that was never issued").isNotNull();
        assertThat(revokedFamilies).as("revoked families refresh nothing").doesNotContain(pick.held.familyId);
        assertThat(next.sessionId()).contains(pick.held.familyId);
        assertThat(tokens.introspect(next.refreshToken().orElseThrow()).active()).isTrue();
        assertThat(tokens.validate(next.accessToken()).sessionId()).contains(pick.held.familyId);
        pool.add(new Held(next.refreshToken().orElseThrow(), next.accessToken(), pick.held.familyId,
                pick.held.subject));
    }

    private record Pick(String token, Held held) {
    }

    /** A token of the pool (refresh or access), a mutation of one, or any string. */
    private static Pick pick(FuzzedDataProvider data, List<Held> pool) {
        int mode = data.consumeInt(0, 3);
        if (pool.isEmpty() || mode == 3) {
            return new Pick(data.consumeString(120), null);
        }
        Held held = pool.get(data.consumeInt(0, pool.size() - 1));
        String token = data.consumeBoolean() ? held.refreshToken : held.accessToken;
        return switch (mode) {
            case 0 -> new Pick(token, held);
            case 1 -> {
                char[] chars = token.toCharArray();
                chars[data.consumeInt(0, chars.length - 1)] = data.consumeChar();
                String mutated = new String(chars);
                yield new Pick(mutated, mutated.equals(token) ? held : null);
            }
            default -> {
                int cut = data.consumeInt(0, token.length());
                String mutated = token.substring(0, cut) + data.consumeString(8);
                yield new Pick(mutated, mutated.equals(token) ? held : null);
            }
        };
    }
}
