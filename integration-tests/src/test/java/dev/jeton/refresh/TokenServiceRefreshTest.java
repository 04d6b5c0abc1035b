package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.Introspection;
import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.RevocationReason;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** TokenService's refresh-token behaviour beyond the store contract: events, introspection, options, claims. */
class TokenServiceRefreshTest {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.ES256);

    private final TestClock clock = TestClock.fixed();
    private final InMemoryTokenStore store = new InMemoryTokenStore();
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();

    private TokenService service(Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).store(store).clock(clock).eventListener(events::add);
        options.accept(builder);
        return builder.build();
    }

    private static IssueRequest login() {
        return IssueRequest.forSubject("alice").client("web").scopes("openid", "profile").claim("tenant", "acme")
                .build();
    }

    private static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    @Nested
    @DisplayName("Access tokens minted on refresh")
    class Minting {

        @Test
        void carryTheSessionTheRequestedScopesAndTheLoginsClaims() {
            TokenService tokens = service(b -> b.claimsCustomizer(r -> Map.of("scopes_seen", r.scopes().size())));
            TokenPair login = tokens.issue(login());

            TokenPair next = tokens.refresh(RefreshRequest.of(login.refreshToken().orElseThrow()).client("web")
                    .scopes("openid").build());
            VerifiedAccessToken access = tokens.validate(next.accessToken());

            assertThat(access.sessionId()).isEqualTo(login.sessionId());
            assertThat(access.scopes()).containsExactly("openid");
            assertThat(access.claim("tenant", String.class)).contains("acme");
            assertThat(access.claim("scopes_seen", Long.class)).contains(1L);
            assertThat(next.toMap()).containsEntry("scope", "openid").containsKey("refresh_token");
        }

        @Test
        void theIssueResponseCarriesTheRefreshToken() {
            TokenPair login = service(b -> { }).issue(login());

            assertThat(login.refreshToken()).get().asString().startsWith("jrt_");
            assertThat(login.toMap()).containsEntry("refresh_token", login.refreshToken().orElseThrow());
            assertThat(login.toString()).doesNotContain(login.refreshToken().orElseThrow())
                    .doesNotContain(login.accessToken());
        }
    }

    @Nested
    @DisplayName("Events name families and jtis, never tokens")
    class Events {

        @Test
        void issueRefreshReuseAndRevokeEachEmitTheirEvent() {
            TokenService tokens = service(b -> { });
            TokenPair login = tokens.issue(login());
            TokenPair next = tokens.refresh(refreshOf(login));
            String family = login.sessionId().orElseThrow();

            assertThatThrownBy(() -> tokens.refresh(refreshOf(login))).isInstanceOf(InvalidGrantException.class);
            assertThatThrownBy(() -> tokens.refresh(refreshOf(login))).isInstanceOf(InvalidGrantException.class);

            assertThat(events).filteredOn(TokenEvent.Issued.class::isInstance).hasSize(2);
            assertThat(events).filteredOn(TokenEvent.Refreshed.class::isInstance).singleElement()
                    .isEqualTo(new TokenEvent.Refreshed(clock.instant(), family, next.accessTokenId(), false));
            assertThat(events).filteredOn(TokenEvent.ReuseDetected.class::isInstance).singleElement()
                    .isEqualTo(new TokenEvent.ReuseDetected(clock.instant(), family, "alice", "web"));
            assertThat(events).filteredOn(TokenEvent.Revoked.class::isInstance).singleElement()
                    .isEqualTo(new TokenEvent.Revoked(clock.instant(), family, "alice",
                            RevocationReason.REUSE_DETECTED));
            for (TokenEvent event : events) {
                assertThat(event.toString()).doesNotContain(login.refreshToken().orElseThrow())
                        .doesNotContain(next.refreshToken().orElseThrow());
            }
        }

        @Test
        void eachFailedRefreshReportsItsErrorAndReason() {
            TokenService tokens = service(b -> { });
            TokenPair login = tokens.issue(login());
            String token = login.refreshToken().orElseThrow();

            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(token).client("other").build()))
                    .isInstanceOf(InvalidGrantException.class);
            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(token).client("web").scopes("admin").build()))
                    .isInstanceOf(InvalidScopeException.class);
            tokens.refresh(refreshOf(login));
            assertThatThrownBy(() -> tokens.refresh(refreshOf(login))).isInstanceOf(InvalidGrantException.class);

            assertThat(events).filteredOn(TokenEvent.RefreshFailed.class::isInstance).containsExactly(
                    new TokenEvent.RefreshFailed(clock.instant(), "invalid_grant",
                            Optional.of(InvalidGrantException.Reason.CLIENT_MISMATCH)),
                    new TokenEvent.RefreshFailed(clock.instant(), "invalid_scope", Optional.empty()),
                    new TokenEvent.RefreshFailed(clock.instant(), "invalid_grant",
                            Optional.of(InvalidGrantException.Reason.REUSED)));
        }

        @Test
        void revokingAnAccessTokenEmitsItsJti() {
            TokenService tokens = service(b -> { });
            TokenPair login = tokens.issue(login());

            tokens.revoke(login.accessToken());

            assertThat(events).filteredOn(TokenEvent.AccessTokenRevoked.class::isInstance).singleElement()
                    .isEqualTo(new TokenEvent.AccessTokenRevoked(clock.instant(), login.accessTokenId(),
                            login.expiresAt()));
        }
    }

    @Nested
    @DisplayName("Introspection (RFC 7662)")
    class IntrospectionOutput {

        @Test
        void anActiveRefreshTokenShowsItsGrantAndIdleExpiry() {
            TokenService tokens = service(b -> b.refreshTokenIdleTtl(Duration.ofHours(2)));
            TokenPair login = tokens.issue(login());

            Map<String, Object> map = tokens.introspect(login.refreshToken().orElseThrow()).toMap();

            assertThat(map).containsEntry("active", true).containsEntry("token_type", "refresh_token")
                    .containsEntry("sub", "alice").containsEntry("client_id", "web")
                    .containsEntry("scope", "openid profile")
                    .containsEntry("exp", clock.instant().plus(Duration.ofHours(2)).getEpochSecond())
                    .containsEntry("sid", login.sessionId().orElseThrow());
        }

        @Test
        void anActiveAccessTokenShowsItsClaims() {
            TokenService tokens = service(b -> { });
            TokenPair login = tokens.issue(login());

            Map<String, Object> map = tokens.introspect(login.accessToken()).toMap();

            assertThat(map).containsEntry("active", true).containsEntry("token_type", "access_token")
                    .containsEntry("jti", login.accessTokenId()).containsEntry("aud", "https://api.test")
                    .containsEntry("iss", "https://issuer.test").containsEntry("exp",
                            login.expiresAt().getEpochSecond());
        }

        @Test
        void everyInactiveTokenIsExactlyActiveFalse() {
            TokenService tokens = service(b -> { });
            TokenPair revoked = tokens.issue(login());
            tokens.revoke(revoked.refreshToken().orElseThrow());
            TokenPair expired = tokens.issue(login());
            clock.advance(Duration.ofDays(15));

            for (String token : List.of("", "garbage", "jrt_" + "a".repeat(49), revoked.refreshToken().orElseThrow(),
                    expired.refreshToken().orElseThrow(), expired.accessToken())) {
                Introspection answer = tokens.introspect(token);
                assertThat(answer.toMap()).isEqualTo(Map.of("active", false));
                assertThat(answer.toJson()).isEqualTo("{\"active\":false}");
            }
        }
    }

    @Nested
    @DisplayName("Revocation")
    class Revocation {

        @Test
        void revocationAwareValidationAsksTheStoreOnceForSessionAndJtiTogether() {
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            dev.jeton.store.TokenStore counting = new dev.jeton.store.tck.ForwardingTokenStore(store) {
                @Override
                public java.util.Optional<FamilyRecord> findFamily(String familyId) {
                    calls.incrementAndGet();
                    return super.findFamily(familyId);
                }

                @Override
                public dev.jeton.store.RevocationStatus revocationStatus(java.util.Optional<String> familyId,
                                                                         String jti, java.time.Instant now) {
                    calls.incrementAndGet();
                    return super.revocationStatus(familyId, jti, now);
                }
            };
            TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                    .keys(KeyProvider.of(KEY)).store(counting).clock(clock)
                    .revocationAwareValidation(Duration.ZERO).build();
            TokenPair login = tokens.issue(login());
            calls.set(0);

            tokens.validate(login.accessToken());

            assertThat(calls).hasValue(1);
        }

        @Test
        void aTokenOfAnotherClientIsLeftAloneSilently() {
            TokenService tokens = service(b -> b.revocationAwareValidation(Duration.ZERO));
            TokenPair login = tokens.issue(login());

            tokens.revoke(login.refreshToken().orElseThrow(), "mobile");
            tokens.revoke(login.accessToken(), "mobile");

            assertThat(tokens.validate(login.accessToken()).subject()).isEqualTo("alice");
            assertThat(tokens.refresh(refreshOf(login)).refreshToken()).isPresent();
        }

        @Test
        void unknownAndMalformedTokensAreIgnored() {
            TokenService tokens = service(b -> { });

            tokens.revoke("jrt_" + "a".repeat(49));
            tokens.revoke("not a token");
            tokens.revoke("");

            assertThat(events).isEmpty();
        }

        @Test
        void aRevocationElsewhereIsSeenOnceTheCachedAnswerIsOlderThanItsTtl() {
            TokenService api = service(b -> b.revocationAwareValidation(Duration.ofSeconds(5)));
            TokenService auth = service(b -> { });
            TokenPair login = api.issue(login());
            api.validate(login.accessToken());

            auth.revoke(login.refreshToken().orElseThrow());

            assertThat(api.validate(login.accessToken()).subject()).isEqualTo("alice");
            clock.advance(Duration.ofSeconds(5));
            assertThatThrownBy(() -> api.validate(login.accessToken()))
                    .isInstanceOfSatisfying(InvalidTokenException.class,
                            e -> assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.REVOKED));
        }

        @Test
        void withoutRevocationAwareValidationARevokedFamilysAccessTokenStaysValidUntilItExpires() {
            TokenService tokens = service(b -> { });
            TokenPair login = tokens.issue(login());

            tokens.revoke(login.refreshToken().orElseThrow());

            assertThat(tokens.validate(login.accessToken()).subject()).isEqualTo("alice");
        }
    }

    @Nested
    @DisplayName("At rest")
    class AtRest {

        private FamilyRecord record(TokenPair pair) {
            return store.findFamily(pair.sessionId().orElseThrow()).orElseThrow();
        }

        @Test
        void onlyTheHashOfTheCurrentTokenIsStoredAndWithoutGraceNoSealedSuccessor() throws Exception {
            TokenService tokens = service(b -> { });
            TokenPair login = tokens.issue(login());
            TokenPair next = tokens.refresh(refreshOf(login));

            FamilyRecord stored = record(login);

            assertThat(stored.currentHash()).isEqualTo(sha256(next.refreshToken().orElseThrow()));
            assertThat(stored.generation()).isEqualTo(1);
            assertThat(stored.grace()).isEmpty();
            assertThat(stored.toString()).doesNotContain(next.refreshToken().orElseThrow())
                    .doesNotContain(stored.currentHash());
        }

        @Test
        void withAPepperTheStoredHashIsNotThePlainSha256() throws Exception {
            TokenService tokens = service(b -> b.refreshTokenPepper(new byte[32]));
            TokenPair login = tokens.issue(login());

            assertThat(record(login).currentHash()).isNotEqualTo(sha256(login.refreshToken().orElseThrow()));
            assertThat(tokens.refresh(refreshOf(login)).refreshToken()).isPresent();
        }

        @Test
        void theGraceSealIsDroppedByPurgeOnceTheWindowHasPassed() {
            TokenService tokens = service(b -> b.reuseGrace(Duration.ofSeconds(10)));
            TokenPair login = tokens.issue(login());
            TokenPair next = tokens.refresh(refreshOf(login));
            assertThat(record(login).grace()).hasValueSatisfying(g -> assertThat(g.sealedSuccessor())
                    .doesNotContain(next.refreshToken().orElseThrow().substring(4, 30)));

            clock.advance(Duration.ofSeconds(10));
            tokens.purgeExpired();

            assertThat(record(login).grace()).isEmpty();
        }

        @Test
        void aCustomPrefixIsUsed() {
            TokenPair login = service(b -> b.refreshTokenPrefix("acme")).issue(login());

            assertThat(login.refreshToken()).get().asString().matches("acme_[0-9A-Za-z]{77}");
        }

        private String sha256(String token) throws Exception {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    @Nested
    @DisplayName("The builder refuses conflicting refresh options")
    class Builder {

        private TokenService.Builder base() {
            return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                    .keys(KeyProvider.of(KEY));
        }

        @Test
        void refreshOptionsWithoutAStore() {
            assertThatThrownBy(() -> base().refreshTokenIdleTtl(Duration.ofDays(1)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("store(...)");
            assertThatThrownBy(() -> base().reuseGrace(Duration.ofSeconds(5)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("store(...)");
        }

        @Test
        void idleLifetimeAboveTheAbsoluteOne() {
            assertThatThrownBy(() -> base().store(store).refreshTokenIdleTtl(Duration.ofDays(10))
                    .refreshTokenMaxTtl(Duration.ofDays(5)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("refreshTokenIdleTtl");
        }

        @Test
        void graceInReuseModeOrUsesWithoutGrace() {
            assertThatThrownBy(() -> base().store(store).rotation(RefreshRotation.REUSE)
                    .reuseGrace(Duration.ofSeconds(5)).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("reuseGrace");
            assertThatThrownBy(() -> base().store(store).reuseGraceUses(3).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("reuseGraceUses");
        }

        @Test
        void outOfRangeValues() {
            assertThatThrownBy(() -> base().reuseGrace(Duration.ofSeconds(61)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("60");
            assertThatThrownBy(() -> base().refreshTokenPepper(new byte[31]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
            assertThatThrownBy(() -> base().refreshTokenPrefix("JRT"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> base().refreshTokenIdleTtl(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> base().reuseGraceUses(0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refreshWithoutAStoreNamesTheMissingOption() {
            TokenService tokens = base().build();

            assertThat(tokens.issue(login()).refreshToken()).isEmpty();
            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of("jrt_x").client("web").build()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("store(...)");
        }
    }
}
