package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidGrantException.Reason;
import dev.jeton.InvalidRequestException;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.KeyException;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.tck.ForwardingTokenStore;
import dev.jeton.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Refresh and issue when a step fails half-way, the order of refresh checks, and input limits (hardening issue). */
class RefreshHardeningTest {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.ES256);

    private final TestClock clock = TestClock.fixed();
    private final InMemoryTokenStore memory = new InMemoryTokenStore();
    private final AtomicInteger storeCalls = new AtomicInteger();
    private final TokenStore store = new ForwardingTokenStore(memory) {
        @Override
        public Optional<FamilyRecord> findFamily(String familyId) {
            storeCalls.incrementAndGet();
            return super.findFamily(familyId);
        }

        @Override
        public List<FamilyRecord> liveFamilies(String subject, Instant now) {
            storeCalls.incrementAndGet();
            return super.liveFamilies(subject, now);
        }
    };
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicBoolean customizerFails = new AtomicBoolean();
    private final AtomicBoolean keysFail = new AtomicBoolean();
    private final AtomicBoolean signingFails = new AtomicBoolean();

    /** A key provider that, on demand, is unreachable (a KMS down) or hands out a key that cannot sign. */
    private final KeyProvider keys = new KeyProvider() {
        private final KeyProvider real = KeyProvider.of(KEY);

        @Override
        public JwtKey signingKey() {
            if (keysFail.get()) {
                throw new KeyException("the KMS did not answer in time", null);
            }
            return signingFails.get() ? JwtKey.ofPublicKey("k", JwsAlgorithm.ES256, (java.security.PublicKey) KEY.verificationKey())
                    : real.signingKey();
        }

        @Override
        public Optional<JwtKey> verificationKey(String kid) {
            return real.verificationKey(kid);
        }

        @Override
        public List<JwtKey> verificationKeys() {
            return real.verificationKeys();
        }
    };

    private TokenService service(Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(keys).store(store).clock(clock).eventListener(events::add)
                .claimsCustomizer(request -> {
                    if (customizerFails.get()) {
                        throw new IllegalStateException("directory lookup timed out");
                    }
                    return Map.of("dept", "r&d");
                });
        options.accept(builder);
        return builder.build();
    }

    private static IssueRequest login() {
        return IssueRequest.forSubject("alice").client("web").scopes("openid", "profile").build();
    }

    private static RefreshRequest refreshOf(String token) {
        return RefreshRequest.of(token).client("web").build();
    }

    private boolean reuseDetected() {
        return events.stream().anyMatch(e -> e instanceof TokenEvent.ReuseDetected);
    }

    @Nested
    @DisplayName("A failed refresh consumes nothing, whatever fails")
    class FailedRefresh {

        @Test
        void refreshWhoseClaimsCustomizerFailsLeavesTheTokenUsable() {
            TokenService tokens = service(b -> { });
            String token = tokens.issue(login()).refreshToken().orElseThrow();

            customizerFails.set(true);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(token))).isInstanceOf(IllegalStateException.class);
            customizerFails.set(false);

            TokenPair next = tokens.refresh(refreshOf(token));
            assertThat(next.refreshToken()).isPresent();
            assertThat(reuseDetected()).isFalse();
            assertThat(tokens.sessions("alice")).hasSize(1);
        }

        @Test
        void refreshWhoseKeyProviderIsUnavailableLeavesTheTokenUsable() {
            TokenService tokens = service(b -> { });
            String token = tokens.issue(login()).refreshToken().orElseThrow();

            keysFail.set(true);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(token))).isInstanceOf(KeyException.class);
            keysFail.set(false);

            assertThat(tokens.refresh(refreshOf(token)).refreshToken()).isPresent();
            assertThat(reuseDetected()).isFalse();
        }

        @Test
        void refreshWhoseSignatureFailsLeavesTheTokenUsable() {
            TokenService tokens = service(b -> { });
            String token = tokens.issue(login()).refreshToken().orElseThrow();

            signingFails.set(true);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(token))).isInstanceOf(RuntimeException.class)
                    .isNotInstanceOf(InvalidGrantException.class);
            signingFails.set(false);

            assertThat(tokens.refresh(refreshOf(token)).refreshToken()).isPresent();
            assertThat(reuseDetected()).isFalse();
        }

        @Test
        void graceReplayWhoseCustomizerFailsKeepsItsGraceUse() {
            TokenService tokens = service(b -> b.reuseGrace(Duration.ofSeconds(10)));
            String first = tokens.issue(login()).refreshToken().orElseThrow();
            String successor = tokens.refresh(refreshOf(first)).refreshToken().orElseThrow();

            customizerFails.set(true);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(first))).isInstanceOf(IllegalStateException.class);
            customizerFails.set(false);

            // The only grace use (default 1) is still there: the replay gets the same successor.
            assertThat(tokens.refresh(refreshOf(first)).refreshToken()).contains(successor);
            assertThat(reuseDetected()).isFalse();
        }

        @Test
        void slideWhoseKeyProviderIsUnavailableLeavesTheTokenUsableInReuseMode() {
            TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
            TokenPair login = tokens.issue(login());
            String token = login.refreshToken().orElseThrow();
            Instant idleBefore = memory.findFamily(login.sessionId().orElseThrow()).orElseThrow().idleExpiresAt();
            clock.advance(Duration.ofHours(1));

            keysFail.set(true);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(token))).isInstanceOf(KeyException.class);
            keysFail.set(false);

            // Nothing was written: the idle expiry did not slide.
            assertThat(memory.findFamily(login.sessionId().orElseThrow()).orElseThrow().idleExpiresAt())
                    .isEqualTo(idleBefore);

            assertThat(tokens.refresh(refreshOf(token)).refreshToken()).contains(token);
        }

        @Test
        void failedRefreshPublishesNoIssuedEvent() {
            TokenService tokens = service(b -> { });
            String token = tokens.issue(login()).refreshToken().orElseThrow();
            events.clear();

            signingFails.set(true);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(token))).isInstanceOf(RuntimeException.class);

            // No Issued or Refreshed event: only the failure itself, for metrics.
            assertThat(events).containsExactly(new TokenEvent.RefreshFailed(clock.instant(), "server_error",
                    java.util.Optional.empty()));
        }

        @Test
        void issueWhoseSignatureFailsStoresNoSession() {
            TokenService tokens = service(b -> { });

            keysFail.set(true);
            assertThatThrownBy(() -> tokens.issue(login())).isInstanceOf(KeyException.class);
            customizerFails.set(true);
            keysFail.set(false);
            assertThatThrownBy(() -> tokens.issue(login())).isInstanceOf(IllegalStateException.class);

            assertThat(tokens.sessions("alice")).isEmpty();
            assertThat(memory.familyCount()).isZero();
        }
    }

    @Nested
    @DisplayName("State and reuse are judged before the client or the scope")
    class CheckOrder {

        @Test
        void rotatedTokenWithUngrantedScopeIsReuseNotInvalidScope() {
            TokenService tokens = service(b -> { });
            String first = tokens.issue(login()).refreshToken().orElseThrow();
            String second = tokens.refresh(refreshOf(first)).refreshToken().orElseThrow();

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(first).client("web").scopes("admin").build()))
                    .isInstanceOfSatisfying(InvalidGrantException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.REUSED));
            assertThat(reuseDetected()).isTrue();
            assertThatThrownBy(() -> tokens.refresh(refreshOf(second)))
                    .isInstanceOfSatisfying(InvalidGrantException.class,
                            e -> assertThat(e.reason()).isIn(Reason.REVOKED, Reason.REUSED));
        }

        @Test
        void rotatedTokenFromAnotherClientIsReuseNotClientMismatch() {
            TokenService tokens = service(b -> { });
            String first = tokens.issue(login()).refreshToken().orElseThrow();
            tokens.refresh(refreshOf(first));

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(first).client("mobile").build()))
                    .isInstanceOfSatisfying(InvalidGrantException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.REUSED));
            assertThat(tokens.sessions("alice")).isEmpty();
        }

        @Test
        void revokedTokenWithUngrantedScopeAnswersRevoked() {
            TokenService tokens = service(b -> { });
            String token = tokens.issue(login()).refreshToken().orElseThrow();
            tokens.revoke(token);

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(token).client("web").scopes("admin").build()))
                    .isInstanceOfSatisfying(InvalidGrantException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));
        }

        @Test
        void idleExpiredTokenFromAnotherClientAnswersExpired() {
            TokenService tokens = service(b -> b.refreshTokenIdleTtl(Duration.ofHours(1)));
            String token = tokens.issue(login()).refreshToken().orElseThrow();
            clock.advance(Duration.ofHours(1));

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(token).client("mobile").build()))
                    .isInstanceOfSatisfying(InvalidGrantException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        }

        @Test
        void activeTokenWithUngrantedScopeIsInvalidScopeAndStaysUsable() {
            TokenService tokens = service(b -> { });
            String token = tokens.issue(login()).refreshToken().orElseThrow();

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(token).client("web").scopes("admin").build()))
                    .isInstanceOf(InvalidScopeException.class);
            assertThat(tokens.refresh(refreshOf(token)).refreshToken()).isPresent();
        }

        @Test
        void tokenInGraceFromAnotherClientIsRefusedWithoutSpendingTheGraceUse() {
            TokenService tokens = service(b -> b.reuseGrace(Duration.ofSeconds(10)));
            String first = tokens.issue(login()).refreshToken().orElseThrow();
            String successor = tokens.refresh(refreshOf(first)).refreshToken().orElseThrow();

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(first).client("mobile").build()))
                    .isInstanceOfSatisfying(InvalidGrantException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CLIENT_MISMATCH));
            assertThat(tokens.refresh(refreshOf(first)).refreshToken()).contains(successor);
        }
    }

    @Nested
    @DisplayName("Claims that could not be read back are refused when they come in")
    class ClaimLimits {

        private static Object nested(int levels) {
            Object value = "leaf";
            for (int i = 0; i < levels; i++) {
                value = List.of(value);
            }
            return value;
        }

        @Test
        void requestWithMoreValuesThanTheReaderTakesIsRefused() {
            List<Integer> many = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                many.add(i);
            }
            IssueRequest.Builder builder = IssueRequest.forSubject("alice").client("web").claim("groups", many);

            assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("JSON values");
        }

        @Test
        void requestNestedDeeperThanTheReaderTakesIsRefused() {
            assertThatThrownBy(() -> IssueRequest.forSubject("alice").client("web").claim("deep", nested(16)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'deep'");
        }

        @Test
        void claimsAtTheLimitsRoundTripThroughValidateAndRefresh() {
            TokenService tokens = service(b -> b.maxTokenLength(64 * 1024));
            List<Integer> many = new ArrayList<>();
            for (int i = 0; i < 900; i++) {
                many.add(i);
            }
            TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").claim("deep", nested(15))
                    .claim("groups", many).build());

            assertThat(tokens.validate(pair.accessToken()).claims()).containsKeys("deep", "groups");
            TokenPair next = tokens.refresh(refreshOf(pair.refreshToken().orElseThrow()));
            assertThat(tokens.validate(next.accessToken()).claims().get("groups")).isEqualTo(
                    tokens.validate(pair.accessToken()).claims().get("groups"));
            assertThat(tokens.sessions("alice")).hasSize(1);
            assertThat(tokens.revokeAll("alice")).isEqualTo(1);
        }

        @Test
        void customizerPushingClaimsPastTheBudgetFailsTheIssueAndStoresNothing() {
            Map<String, Object> many = new LinkedHashMap<>();
            for (int i = 0; i < 990; i++) {
                many.put("c" + i, i);
            }
            TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                    .keys(KeyProvider.of(KEY)).store(store).clock(clock).claimsCustomizer(r -> many).build();

            assertThatThrownBy(() -> tokens.issue(login())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("claims customizer");
            assertThat(memory.familyCount()).isZero();
        }

        @Test
        void tokenLongerThanTheValidatorAcceptsIsNotIssued() {
            TokenService tokens = service(b -> { });

            assertThatThrownBy(() -> tokens.issue(IssueRequest.forSubject("alice").client("web")
                    .claim("blob", "x".repeat(10_000)).build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("maxTokenLength");
            assertThat(memory.familyCount()).isZero();
        }
    }

    @Nested
    @DisplayName("Client input gets OAuth errors, not IllegalArgumentException")
    class ClientInput {

        @Test
        void malformedScopeParameterIsInvalidScope() {
            RefreshRequest.Builder builder = RefreshRequest.of("jrt_x").client("web");

            assertThatThrownBy(() -> builder.scope("openid  profile")).isInstanceOfSatisfying(
                    InvalidScopeException.class, e -> assertThat(e.oauthError()).isEqualTo("invalid_scope"));
            assertThatThrownBy(() -> builder.scopes("open id")).isInstanceOf(InvalidScopeException.class);
            assertThat(builder.scope("openid profile").build().scopes()).containsExactly("openid", "profile");
        }

        @Test
        void missingTokenOrClientIsInvalidRequest() {
            assertThatThrownBy(() -> RefreshRequest.of("")).isInstanceOfSatisfying(InvalidRequestException.class,
                    e -> assertThat(e.oauthError()).isEqualTo("invalid_request"));
            assertThatThrownBy(() -> RefreshRequest.of(null)).isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> RefreshRequest.of("jrt_x").client(""))
                    .isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> RefreshRequest.of("jrt_x").client("we\u0000b"))
                    .isInstanceOf(InvalidRequestException.class);
        }

        @Test
        void subjectWithControlCharactersIsInvalidRequest() {
            assertThatThrownBy(() -> IssueRequest.forSubject("ali\u0000ce"))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.httpStatus()).isEqualTo(400));
            assertThatThrownBy(() -> IssueRequest.forSubject("alice").client("w\neb"))
                    .isInstanceOf(InvalidRequestException.class);
            assertThatThrownBy(() -> IssueRequest.forSubject("alice").scopes("a\"b"))
                    .isInstanceOf(InvalidScopeException.class);
        }

        @Test
        void sessionsOfImpossibleSubjectsAreEmptyWithoutAskingTheStore() {
            TokenService tokens = service(b -> { });
            tokens.issue(login());
            storeCalls.set(0);

            assertThat(tokens.sessions("ali\u0000ce")).isEmpty();
            assertThat(tokens.sessions("")).isEmpty();
            assertThat(tokens.revokeAll("\u0000")).isZero();
            assertThat(tokens.revokeSession("alice", "no\u0000such")).isFalse();
            assertThat(tokens.revokeSession("alice", "x".repeat(5_000))).isFalse();
            assertThat(storeCalls).hasValue(0);
            assertThat(tokens.sessions("alice")).hasSize(1);
        }

        @Test
        void revocationAwareValidateReportsAStoreFailureAsTokenStoreException() {
            AtomicBoolean down = new AtomicBoolean();
            TokenStore flaky = new ForwardingTokenStore(memory) {
                @Override
                public Optional<FamilyRecord> findFamily(String familyId) {
                    if (down.get()) {
                        throw new TokenStoreException("database unreachable", null);
                    }
                    return super.findFamily(familyId);
                }

                @Override
                public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
                    if (down.get()) {
                        throw new TokenStoreException("database unreachable", null);
                    }
                    return super.revocationStatus(familyId, jti, now);
                }
            };
            TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                    .keys(KeyProvider.of(KEY)).store(flaky).clock(clock)
                    .revocationAwareValidation(Duration.ofSeconds(5)).build();
            String access = tokens.issue(login()).accessToken();

            down.set(true);
            assertThatThrownBy(() -> tokens.validate(access)).isInstanceOf(TokenStoreException.class)
                    .isNotInstanceOf(InvalidTokenException.class);
        }
    }

    @Test
    void revokeAllNeverTouchesASubjectThatDiffersOnlyInTrailingSpaceOrCase() {
        TokenStore padding = new ForwardingTokenStore(memory) {
            @Override
            public List<FamilyRecord> liveFamilies(String subject, Instant now) {
                // A store whose collation pads and folds case, as MariaDB's utf8mb4_bin and *_ci collations do.
                return super.liveFamilies(subject.strip().toLowerCase(java.util.Locale.ROOT), now);
            }
        };
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).store(padding).clock(clock).build();
        tokens.issue(login());

        assertThat(tokens.sessions("alice ")).isEmpty();
        assertThat(tokens.sessions("ALICE")).isEmpty();
        assertThat(tokens.revokeAll("alice ")).isZero();
        assertThat(tokens.sessions("alice")).singleElement()
                .satisfies(s -> assertThat(memory.findFamily(s.id()).orElseThrow().revocation()).isEmpty());
    }
}
