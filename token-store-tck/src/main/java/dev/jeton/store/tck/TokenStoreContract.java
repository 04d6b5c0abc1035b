package dev.jeton.store.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.RevocationReason;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.store.RotationResult;
import dev.jeton.store.StoredToken;
import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link TokenStore} must pass: each invariant of Jeton's store design, checked through
 * {@link TokenService} (where the state machine lives) and, where it matters, through the SPI directly. A store's
 * test extends this class with one factory method:
 *
 * <pre>{@code
 * class MyStoreTest extends TokenStoreContract {
 *     @Override
 *     protected TokenStore createStore(TestClock clock) {
 *         return new MyStore(...);
 *     }
 * }
 * }</pre>
 *
 * <p>Time comes from the {@link TestClock} handed to the factory, which the kit moves; nothing sleeps. Concurrency is
 * checked with {@link #threads()} threads released together by a latch, over {@link #concurrencyRounds()} rounds.
 * A store that is {@link AutoCloseable} is closed after each test.
 */
public abstract class TokenStoreContract {

    private static final JwtKey KEY = JwtKey.generate("tck-hs256", JwsAlgorithm.HS256);

    /** The clock of the current test; the kit moves it. */
    protected TestClock clock;
    /** The store of the current test. */
    protected TokenStore store;

    /** A new, empty store for one test. {@code clock} is the time Jeton passes to the store. */
    protected abstract TokenStore createStore(TestClock clock);

    /** How many threads race in the concurrency checks; at least 8. */
    protected int threads() {
        return 8;
    }

    /** How many rounds each concurrency check runs. */
    protected int concurrencyRounds() {
        return 50;
    }

    /**
     * Every value the store holds, for the check that none of them is a usable token. The default walks the store's
     * object graph by reflection (fine for stores that keep state in the heap); a store that keeps state elsewhere
     * (a database) returns its rows' values.
     */
    protected Stream<Object> storedValues(TokenStore store) {
        List<Object> values = new ArrayList<>();
        walk(store, Collections.newSetFromMap(new IdentityHashMap<>()), values, 0);
        return values.stream();
    }

    @BeforeEach
    void createStoreAndClock() {
        clock = TestClock.fixed();
        store = createStore(clock);
    }

    @AfterEach
    void closeStore() throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** A service on the store under test, with revocation-aware validation that always asks the store. */
    protected TokenService service(Consumer<TokenService.Builder> options) {
        return service(store, options);
    }

    private TokenService service(TokenStore on, Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder()
                .issuer("https://issuer.test")
                .audience("https://api.test")
                .keys(KeyProvider.of(KEY))
                .store(on)
                .clock(clock)
                .revocationAwareValidation(Duration.ZERO)
                .refreshTokenIdleTtl(Duration.ofHours(1))
                .refreshTokenMaxTtl(Duration.ofHours(10));
        options.accept(builder);
        return builder.build();
    }

    protected TokenService service() {
        return service(b -> { });
    }

    protected static IssueRequest login(String subject) {
        return IssueRequest.forSubject(subject).client("web").scopes("openid", "profile", "email").build();
    }

    protected static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    private static InvalidGrantException.Reason grantFailure(Runnable action) {
        try {
            action.run();
        } catch (InvalidGrantException e) {
            return e.reason();
        }
        throw new AssertionError("expected an InvalidGrantException");
    }

    @Nested
    @DisplayName("Rotation replaces the presented token exactly once")
    class Rotation {

        @Test
        void refreshReturnsANewRefreshTokenInTheSameSession() {
            TokenService tokens = service();
            TokenPair first = tokens.issue(login("alice"));

            TokenPair next = tokens.refresh(refreshOf(first));

            assertThat(next.refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
            assertThat(next.sessionId()).isEqualTo(first.sessionId());
            assertThat(tokens.validate(next.accessToken()).sessionId()).isEqualTo(first.sessionId());
            assertThat(tokens.introspect(first.refreshToken().orElseThrow()).active()).isFalse();
            assertThat(tokens.introspect(next.refreshToken().orElseThrow()).active()).isTrue();
        }

        @Test
        void replayOfARotatedTokenIsReuseAndRevokesTheWholeFamily() {
            TokenService tokens = service();
            TokenPair first = tokens.issue(login("alice"));
            TokenPair next = tokens.refresh(refreshOf(first));

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(first))))
                    .isEqualTo(InvalidGrantException.Reason.REUSED);

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(next))))
                    .isEqualTo(InvalidGrantException.Reason.REVOKED);
            assertThatThrownBy(() -> tokens.validate(next.accessToken()))
                    .isInstanceOfSatisfying(InvalidTokenException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
            RefreshFamily family = store.findFamily(first.sessionId().orElseThrow()).orElseThrow();
            assertThat(family.revocationReason()).contains(RevocationReason.REUSE_DETECTED);
        }

        @Test
        void exactlyOneOfManyConcurrentRefreshesOfOneTokenWins() throws Exception {
            TokenService tokens = service();
            for (int round = 0; round < concurrencyRounds(); round++) {
                TokenPair pair = tokens.issue(login("alice-" + round));

                List<Outcome> outcomes = race(threads(), i -> tokens.refresh(refreshOf(pair)));

                assertThat(outcomes).filteredOn(Outcome::succeeded).as("round %d", round).hasSize(1);
                assertThat(outcomes).filteredOn(o -> !o.succeeded())
                        .allSatisfy(o -> assertThat(o.grantReason()).isEqualTo(InvalidGrantException.Reason.REUSED));
                assertThat(store.findFamily(pair.sessionId().orElseThrow()).orElseThrow().isRevoked()).isTrue();
            }
        }
    }

    @Nested
    @DisplayName("Within the grace window a replay gets the same successor and the family does not fork")
    class Grace {

        private TokenService graceful(int uses) {
            return service(b -> b.reuseGrace(Duration.ofSeconds(30)).reuseGraceUses(uses));
        }

        @Test
        void concurrentRefreshesOfOneTokenAllGetTheSameSuccessor() throws Exception {
            TokenService tokens = graceful(threads());
            for (int round = 0; round < concurrencyRounds(); round++) {
                TokenPair pair = tokens.issue(login("bob-" + round));

                List<Outcome> outcomes = race(threads(), i -> tokens.refresh(refreshOf(pair)));

                assertThat(outcomes).as("round %d", round).allSatisfy(o -> assertThat(o.succeeded()).isTrue());
                Set<String> successors = outcomes.stream().map(o -> o.pair().refreshToken().orElseThrow())
                        .collect(Collectors.toSet());
                assertThat(successors).hasSize(1);
                String successor = successors.iterator().next();
                assertThat(tokens.introspect(successor).active()).isTrue();
                assertThat(store.findFamily(pair.sessionId().orElseThrow()).orElseThrow().isRevoked()).isFalse();
                TokenPair after = tokens.refresh(RefreshRequest.of(successor).client("web").build());
                assertThat(after.refreshToken()).isPresent().isNotEqualTo(Optional.of(successor));
            }
        }

        @Test
        void replayAfterTheGraceWindowIsReuse() {
            TokenService tokens = graceful(1);
            TokenPair first = tokens.issue(login("bob"));
            tokens.refresh(refreshOf(first));

            clock.advance(Duration.ofSeconds(30));

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(first))))
                    .isEqualTo(InvalidGrantException.Reason.REUSED);
        }

        @Test
        void replayBeyondTheAllowedUsesIsReuse() {
            TokenService tokens = graceful(2);
            TokenPair first = tokens.issue(login("bob"));
            TokenPair next = tokens.refresh(refreshOf(first));

            assertThat(tokens.refresh(refreshOf(first)).refreshToken()).isEqualTo(next.refreshToken());
            assertThat(tokens.refresh(refreshOf(first)).refreshToken()).isEqualTo(next.refreshToken());
            assertThat(grantFailure(() -> tokens.refresh(refreshOf(first))))
                    .isEqualTo(InvalidGrantException.Reason.REUSED);
        }

        @Test
        void replayAfterTheSuccessorWasUsedIsReuse() {
            TokenService tokens = graceful(5);
            TokenPair first = tokens.issue(login("bob"));
            TokenPair second = tokens.refresh(refreshOf(first));
            tokens.refresh(refreshOf(second));

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(first))))
                    .isEqualTo(InvalidGrantException.Reason.REUSED);
        }
    }

    @Nested
    @DisplayName("Revocation wins over any refresh racing it")
    class Revocation {

        @Test
        void aRevokeRacingRefreshesLeavesNoUsableTokenInTheFamily() throws Exception {
            TokenService tokens = service();
            for (int round = 0; round < concurrencyRounds(); round++) {
                TokenPair pair = tokens.issue(login("carol-" + round));
                List<TokenPair> issued = new CopyOnWriteArrayList<>(List.of(pair));
                int threads = threads();

                String subject = "carol-" + round;
                race(threads, i -> {
                    if (i == 1) {
                        TokenPair current = pair;
                        for (int step = 0; step < 5; step++) {
                            current = tokens.refresh(refreshOf(current));
                            issued.add(current);
                        }
                        return current;
                    }
                    if (i == 0) {
                        tokens.revoke(pair.refreshToken().orElseThrow());
                    } else {
                        tokens.revokeAll(subject);
                    }
                    return null;
                });

                for (TokenPair p : issued) {
                    assertThat(grantFailure(() -> tokens.refresh(refreshOf(p))))
                            .as("round %d", round)
                            .isIn(InvalidGrantException.Reason.REVOKED, InvalidGrantException.Reason.REUSED);
                    assertThatThrownBy(() -> tokens.validate(p.accessToken()))
                            .isInstanceOfSatisfying(InvalidTokenException.class,
                                    e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
                }
                assertThat(store.findFamily(pair.sessionId().orElseThrow()).orElseThrow().isRevoked()).isTrue();
            }
        }

        @Test
        void revokeAllRevokesEveryLiveFamilyOfTheSubjectOnly() {
            TokenService tokens = service();
            TokenPair phone = tokens.issue(login("dave"));
            TokenPair laptop = tokens.issue(login("dave"));
            TokenPair other = tokens.issue(login("erin"));

            assertThat(tokens.revokeAll("dave")).isEqualTo(2);

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(phone))))
                    .isEqualTo(InvalidGrantException.Reason.REVOKED);
            assertThat(grantFailure(() -> tokens.refresh(refreshOf(laptop))))
                    .isEqualTo(InvalidGrantException.Reason.REVOKED);
            assertThat(tokens.refresh(refreshOf(other)).refreshToken()).isPresent();
            assertThat(tokens.sessions("dave")).isEmpty();
            assertThat(tokens.sessions("erin")).hasSize(1);
        }

        @Test
        void sessionsListLiveFamiliesAndRevokeOneOnlyForItsSubject() {
            TokenService tokens = service();
            TokenPair phone = tokens.issue(login("dave"));
            clock.advance(Duration.ofSeconds(1));
            TokenPair laptop = tokens.issue(login("dave"));

            assertThat(tokens.sessions("dave")).extracting(s -> s.id())
                    .containsExactly(phone.sessionId().orElseThrow(), laptop.sessionId().orElseThrow());
            assertThat(tokens.revokeSession("mallory", phone.sessionId().orElseThrow())).isFalse();
            assertThat(tokens.revokeSession("dave", phone.sessionId().orElseThrow())).isTrue();

            assertThat(tokens.sessions("dave")).extracting(s -> s.id()).containsExactly(laptop.sessionId().orElseThrow());
            assertThat(store.findFamily(phone.sessionId().orElseThrow()).orElseThrow().revocationReason())
                    .contains(RevocationReason.SESSION_REVOKED);
        }

        @Test
        void revokingAnAccessTokenDeniesItsJtiUntilItExpires() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("frank"));

            tokens.revoke(pair.accessToken());

            assertThatThrownBy(() -> tokens.validate(pair.accessToken()))
                    .isInstanceOfSatisfying(InvalidTokenException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
            assertThat(store.isAccessTokenRevoked(pair.accessTokenId(), clock.instant())).isTrue();
            assertThat(store.isAccessTokenRevoked(pair.accessTokenId(), pair.expiresAt())).isFalse();
            assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
        }

        @Test
        void revokeFamilyKeepsTheFirstRevocation() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("gina"));
            String family = pair.sessionId().orElseThrow();
            Instant first = clock.instant();

            assertThat(store.revokeFamily(family, RevocationReason.LOGOUT, first)).isTrue();
            assertThat(store.revokeFamily(family, RevocationReason.REUSE_DETECTED, first.plusSeconds(5))).isFalse();

            RefreshFamily revoked = store.findFamily(family).orElseThrow();
            assertThat(revoked.revokedAt()).contains(first);
            assertThat(revoked.revocationReason()).contains(RevocationReason.LOGOUT);
            assertThat(store.revokeFamily("no-such-family", RevocationReason.LOGOUT, first)).isFalse();
        }
    }

    @Nested
    @DisplayName("Idle expiry slides, absolute expiry never moves, and a token expires at exactly its instant")
    class Expiry {

        @Test
        void aTokenIsExpiredAtExactlyItsIdleExpiry() {
            TokenService tokens = service();
            TokenPair expiring = tokens.issue(login("hank"));
            TokenPair usable = tokens.issue(login("hank"));

            clock.advance(Duration.ofHours(1).minusMillis(1));
            assertThat(tokens.refresh(refreshOf(usable)).refreshToken()).isPresent();

            clock.advance(Duration.ofMillis(1));
            assertThat(grantFailure(() -> tokens.refresh(refreshOf(expiring))))
                    .isEqualTo(InvalidGrantException.Reason.EXPIRED);
        }

        @Test
        void eachRefreshStartsANewIdlePeriod() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("hank"));
            for (int i = 0; i < 5; i++) {
                clock.advance(Duration.ofMinutes(50));
                pair = tokens.refresh(refreshOf(pair));
            }
            assertThat(pair.refreshToken()).isPresent();
        }

        @Test
        void theAbsoluteExpiryIsNeverExtended() {
            TokenService tokens = service(b -> { });
            TokenPair pair = tokens.issue(login("ivan"));
            Instant absolute = clock.instant().plus(Duration.ofHours(10));
            for (int i = 0; i < 10; i++) {
                clock.advance(Duration.ofMinutes(55));
                pair = tokens.refresh(refreshOf(pair));
            }
            assertThat(tokens.introspect(pair.refreshToken().orElseThrow()).expiresAt()).contains(absolute);

            clock.set(absolute.minusMillis(1));
            TokenPair last = tokens.refresh(refreshOf(pair));
            clock.set(absolute);
            assertThat(grantFailure(() -> tokens.refresh(refreshOf(last))))
                    .isEqualTo(InvalidGrantException.Reason.EXPIRED);
        }

        @Test
        void reuseModeReturnsTheSameTokenAndSlidesItsIdleExpiryUpToTheAbsoluteOne() {
            TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
            TokenPair pair = tokens.issue(login("judy"));
            String token = pair.refreshToken().orElseThrow();
            Instant absolute = clock.instant().plus(Duration.ofHours(10));

            for (int i = 0; i < 10; i++) {
                clock.advance(Duration.ofMinutes(55));
                TokenPair next = tokens.refresh(refreshOf(pair));
                assertThat(next.refreshToken()).contains(token);
                assertThat(next.accessToken()).isNotEqualTo(pair.accessToken());
                pair = next;
            }
            assertThat(tokens.introspect(token).expiresAt()).contains(absolute);
            assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).contains(token);

            clock.set(absolute);
            TokenPair last = pair;
            assertThat(grantFailure(() -> tokens.refresh(refreshOf(last))))
                    .isEqualTo(InvalidGrantException.Reason.EXPIRED);
        }

        @Test
        void reuseModeExpiresAnUnusedTokenAtItsIdleExpiry() {
            TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
            TokenPair pair = tokens.issue(login("judy"));

            clock.advance(Duration.ofHours(1));

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(pair))))
                    .isEqualTo(InvalidGrantException.Reason.EXPIRED);
        }
    }

    @Nested
    @DisplayName("A failed refresh leaves the presented token usable")
    class FailedRefresh {

        @Test
        void anotherClientCannotUseOrConsumeTheToken() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("kate"));

            assertThat(grantFailure(() -> tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow())
                    .client("mobile").build()))).isEqualTo(InvalidGrantException.Reason.CLIENT_MISMATCH);

            assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
        }

        @Test
        void aWiderScopeIsRefusedWithoutConsumingTheToken() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("kate"));

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow())
                    .client("web").scopes("openid", "admin").build())).isInstanceOf(InvalidScopeException.class);

            TokenPair narrower = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web")
                    .scopes("openid").build());
            assertThat(narrower.scopes()).containsExactly("openid");
            assertThat(tokens.validate(narrower.accessToken()).scopes()).containsExactly("openid");
            TokenPair full = tokens.refresh(refreshOf(narrower));
            assertThat(full.scopes()).containsExactly("openid", "profile", "email");
        }

        @Test
        void aStoreFailureDuringRotationConsumesNothing() {
            FailingStore failing = new FailingStore(store);
            TokenService tokens = service(failing, b -> { });
            TokenPair pair = tokens.issue(login("kate"));

            failing.failNextRotate = true;
            assertThatThrownBy(() -> tokens.refresh(refreshOf(pair))).isInstanceOf(TokenStoreException.class);

            assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
        }

        @Test
        void truncatedOrAlteredTokensAreMalformedAndConsumeNothing() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("kate"));
            String token = pair.refreshToken().orElseThrow();
            String truncated = token.substring(0, token.length() - 1);
            char last = token.charAt(token.length() - 7);
            String flipped = token.substring(0, token.length() - 7) + (last == 'a' ? 'b' : 'a')
                    + token.substring(token.length() - 6);

            assertThat(grantFailure(() -> tokens.refresh(RefreshRequest.of(truncated).client("web").build())))
                    .isEqualTo(InvalidGrantException.Reason.MALFORMED);
            assertThat(grantFailure(() -> tokens.refresh(RefreshRequest.of(flipped).client("web").build())))
                    .isEqualTo(InvalidGrantException.Reason.MALFORMED);
            assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
        }
    }

    @Nested
    @DisplayName("Purging is bounded and never removes what can still detect reuse")
    class Purge {

        @Test
        void familiesPastTheirAbsoluteExpiryArePurgedInBoundedBatches() {
            TokenService tokens = service();
            List<TokenPair> pairs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                pairs.add(tokens.refresh(refreshOf(tokens.issue(login("liam-" + i)))));
            }
            clock.advance(Duration.ofHours(10));

            int total = 0;
            int batch;
            do {
                batch = store.purgeExpired(clock.instant(), 4);
                assertThat(batch).isBetween(0, 4 + 2);
                total += batch;
            } while (batch > 0);

            assertThat(total).isGreaterThanOrEqualTo(30);
            for (TokenPair pair : pairs) {
                assertThat(store.findFamily(pair.sessionId().orElseThrow())).isEmpty();
                assertThat(grantFailure(() -> tokens.refresh(refreshOf(pair))))
                        .isEqualTo(InvalidGrantException.Reason.UNKNOWN);
            }
        }

        @Test
        void rotatedTokensOfALiveFamilySurviveAPurgeSoReuseIsStillDetected() {
            TokenService tokens = service();
            TokenPair first = tokens.issue(login("mia"));
            TokenPair next = first;
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofMinutes(50));
                next = tokens.refresh(refreshOf(next));
            }
            assertThat(tokens.purgeExpired()).isZero();

            assertThat(grantFailure(() -> tokens.refresh(refreshOf(first))))
                    .isEqualTo(InvalidGrantException.Reason.REUSED);
        }

        @Test
        void accessTokenDenialsArePurgedAfterTheTokenExpires() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("nora"));
            tokens.revoke(pair.accessToken());

            clock.set(pair.expiresAt());

            assertThat(tokens.purgeExpired()).isEqualTo(1);
            assertThat(store.isAccessTokenRevoked(pair.accessTokenId(), clock.instant())).isFalse();
        }
    }

    @Nested
    @DisplayName("Nothing the store holds is a usable token")
    class NothingUsable {

        @Test
        void noStoredValueContainsARefreshTokenOrItsSecretOrAnAccessToken() {
            TokenService tokens = service(b -> b.reuseGrace(Duration.ofSeconds(30)).reuseGraceUses(2));
            List<String> secrets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TokenPair pair = tokens.issue(login("olga-" + i));
                TokenPair next = tokens.refresh(refreshOf(pair));
                tokens.refresh(refreshOf(pair));
                for (TokenPair p : List.of(pair, next)) {
                    String refresh = p.refreshToken().orElseThrow();
                    secrets.add(refresh);
                    secrets.add(refresh.substring(refresh.indexOf('_') + 1, refresh.indexOf('_') + 30));
                    secrets.add(p.accessToken());
                }
            }
            tokens.revoke(tokens.issue(login("olga-x")).accessToken());

            List<String> stored = storedValues(store).map(TokenStoreContract::text).toList();

            assertThat(stored).isNotEmpty();
            for (String value : stored) {
                for (String secret : secrets) {
                    assertThat(value).as("a stored value").doesNotContain(secret);
                }
            }
        }
    }

    @Nested
    @DisplayName("The SPI steps behave as documented")
    class Spi {

        @Test
        void liveFamiliesListsTheSubjectsFamiliesUntilTheirAbsoluteExpiry() {
            TokenService tokens = service();
            TokenPair pair = tokens.issue(login("pat"));
            String family = pair.sessionId().orElseThrow();

            List<RefreshFamily> live = store.liveFamilies("pat", clock.instant());

            assertThat(live).extracting(RefreshFamily::id).containsExactly(family);
            assertThat(live.get(0).clientId()).isEqualTo("web");
            assertThat(live.get(0).scopes()).containsExactly("openid", "profile", "email");
            assertThat(store.liveFamilies("pat", live.get(0).expiresAt())).isEmpty();
        }

        @Test
        void rotatingAnUnknownTokenIsRefusedWithNothingToClassify() {
            RotationResult result = store.rotate(hash("no-such"),
                    RefreshTokenRecord.active(hash("successor"), "no-family",
                            Optional.empty(), clock.instant(), clock.instant().plusSeconds(60)),
                    Optional.empty(), Optional.empty(), clock.instant());

            assertThat(result.applied()).isFalse();
            assertThat(result.current()).isEmpty();
            assertThat(store.claimGrace("no-family", hash("no-such"), 1, clock.instant()))
                    .isEmpty();
        }

        @Test
        void createFamilyRefusesAnExistingFamilyId() {
            Instant now = clock.instant();
            RefreshFamily family = new RefreshFamily("family-1", "quinn", "web", Set.of("openid"), Map.of(), now,
                    now.plusSeconds(3600), Optional.empty(), Optional.empty());
            store.createFamily(family, RefreshTokenRecord.active(hash("one"),
                    "family-1", Optional.empty(), now, now.plusSeconds(60)));

            assertThatThrownBy(() -> store.createFamily(family, RefreshTokenRecord.active(
                    hash("two"), "family-1", Optional.empty(), now,
                    now.plusSeconds(60)))).isInstanceOf(IllegalStateException.class);
            Optional<StoredToken> found = store.findToken(hash("one"));
            assertThat(found).isPresent();
            assertThat(found.get().family().subject()).isEqualTo("quinn");
            assertThat(store.findToken(hash("two"))).isEmpty();
        }
    }

    /** A value shaped like a token hash (base64url of 32 bytes), for driving the SPI directly. */
    protected static String hash(String seed) {
        try {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** What one racing task ended with. */
    protected record Outcome(TokenPair pair, Throwable failure) {
        boolean succeeded() {
            return failure == null;
        }

        InvalidGrantException.Reason grantReason() {
            if (failure instanceof InvalidGrantException e) {
                return e.reason();
            }
            throw new AssertionError("expected an InvalidGrantException, got " + failure, failure);
        }
    }

    /**
     * Runs {@code task} on {@code n} threads released together by a latch, and returns each thread's outcome.
     * Fails if any thread throws anything but a Jeton grant error.
     */
    protected List<Outcome> race(int n, IntFunction<TokenPair> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return new Outcome(task.apply(index), null);
                    } catch (InvalidGrantException e) {
                        return new Outcome(null, e);
                    }
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(60, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
        if (value instanceof char[] chars) {
            return new String(chars);
        }
        return String.valueOf(value);
    }

    private static void walk(Object object, Set<Object> seen, List<Object> out, int depth) {
        if (object == null || depth > 40 || !seen.add(object)) {
            return;
        }
        Class<?> type = object.getClass();
        if (object instanceof CharSequence || object instanceof byte[] || object instanceof char[]) {
            out.add(object instanceof CharSequence cs ? cs.toString() : object);
            return;
        }
        if (object instanceof Number || object instanceof Boolean || object instanceof Enum<?>
                || object instanceof Instant || object instanceof Class<?> || object instanceof Thread) {
            return;
        }
        if (type.isArray()) {
            if (!type.getComponentType().isPrimitive()) {
                for (int i = 0; i < Array.getLength(object); i++) {
                    walk(Array.get(object, i), seen, out, depth + 1);
                }
            }
            return;
        }
        if (object instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : List.copyOf(map.entrySet())) {
                walk(e.getKey(), seen, out, depth + 1);
                walk(e.getValue(), seen, out, depth + 1);
            }
            return;
        }
        if (object instanceof Collection<?> collection) {
            for (Object element : List.copyOf(collection)) {
                walk(element, seen, out, depth + 1);
            }
            return;
        }
        if (object instanceof Optional<?> optional) {
            optional.ifPresent(v -> walk(v, seen, out, depth + 1));
            return;
        }
        if (type.getName().startsWith("java.") || type.getName().startsWith("javax.")
                || type.getName().startsWith("jdk.") || type.getName().startsWith("sun.")) {
            return;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive()) {
                    continue;
                }
                try {
                    field.setAccessible(true);
                    walk(field.get(object), seen, out, depth + 1);
                } catch (RuntimeException | IllegalAccessException e) {
                    // A field of a JDK class behind module walls holds no store data of ours.
                }
            }
        }
    }

    /** Fails the next rotation on request; for the check that a store failure consumes nothing. */
    static final class FailingStore extends ForwardingTokenStore {
        volatile boolean failNextRotate;

        FailingStore(TokenStore delegate) {
            super(delegate);
        }

        @Override
        public RotationResult rotate(String presentedHash, RefreshTokenRecord successor,
                                     Optional<String> sealedSuccessor, Optional<Instant> graceUntil, Instant now) {
            if (failNextRotate) {
                failNextRotate = false;
                throw new TokenStoreException("simulated store failure", null);
            }
            return super.rotate(presentedHash, successor, sealedSuccessor, graceUntil, now);
        }
    }
}
