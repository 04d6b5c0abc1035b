package dev.jeton.refresh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jeton.AccessTokenValidator;
import dev.jeton.IdTokenValidator;
import dev.jeton.Introspection;
import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTargetException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.TokenException;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedIdToken;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.tck.ForwardingTokenStore;
import dev.jeton.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * ID tokens on refresh (OIDC Core 12.2) in both rotation modes, resource indicators on refresh (RFC 8707), access
 * tokens without a family, and introspection that sees revocation: issue 15 against a real store. Every failure is a
 * typed {@link TokenException} and writes nothing: a counting store proves it.
 */
class OidcRefreshTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String API = "https://api.example.com";
    private static final String REPORTS = "https://reports.example.com";
    private static final JwtKey KEY = JwtKey.generate("k1", JwsAlgorithm.ES256);

    private final TestClock clock = TestClock.fixed();
    private final InMemoryTokenStore memory = new InMemoryTokenStore();
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicBoolean customizerFails = new AtomicBoolean();
    private final TokenStore store = new ForwardingTokenStore(memory) {
        @Override
        public void createFamily(FamilyRecord first) {
            writes.incrementAndGet();
            super.createFamily(first);
        }

        @Override
        public StepResult rotate(Rotation rotation) {
            writes.incrementAndGet();
            return super.rotate(rotation);
        }

        @Override
        public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                                Instant now) {
            writes.incrementAndGet();
            return super.slide(familyId, generation, currentHash, newIdleExpiresAt, now);
        }

        @Override
        public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
            writes.incrementAndGet();
            return super.claimGrace(familyId, previousHash, maxUses, now);
        }

        @Override
        public boolean revokeFamily(String familyId, dev.jeton.RevocationReason reason, Instant now) {
            writes.incrementAndGet();
            return super.revokeFamily(familyId, reason, now);
        }

        @Override
        public void revokeAccessToken(String jti, Instant expiresAt) {
            writes.incrementAndGet();
            super.revokeAccessToken(jti, expiresAt);
        }
    };

    private TokenService service(Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder().issuer(ISSUER).audience(API)
                .additionalAudiences(REPORTS).keys(KeyProvider.of(KEY)).store(store).clock(clock)
                .idTokens(Duration.ofMinutes(10))
                .idTokenClaimsCustomizer(request -> {
                    if (customizerFails.get()) {
                        throw new IllegalStateException("the user directory did not answer");
                    }
                    return Map.of("email", request.subject() + "@example.com");
                });
        options.accept(builder);
        return builder.build();
    }

    private final IdTokenValidator relyingParty = IdTokenValidator.builder().issuer(ISSUER).clientId("web")
            .keys(KeyProvider.of(KEY)).clock(clock).build();

    private static IssueRequest login() {
        return IssueRequest.forSubject("alice").client("web").scopes("openid", "profile").nonce("n-1")
                .acr("urn:example:silver").amr("pwd").build();
    }

    private static RefreshRequest.Builder refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web");
    }

    /** What a resource server for {@code audience} reads from an access token. */
    private java.util.List<String> audienceAt(String audience, String accessToken) {
        return AccessTokenValidator.builder().issuer(ISSUER).audience(audience).keys(KeyProvider.of(KEY)).clock(clock)
                .build().validate(accessToken).audience();
    }

    @Nested
    @DisplayName("Each refresh returns a new ID token of the same login (OIDC Core 12.2)")
    class IdTokensOnRefresh {

        @Test
        void rotateMode() {
            TokenService tokens = service(b -> { });
            TokenPair first = tokens.issue(login());
            VerifiedIdToken login = relyingParty.validate(first.idToken().orElseThrow(), "n-1", first.accessToken());
            clock.advance(Duration.ofMinutes(15));

            TokenPair next = tokens.refresh(refreshOf(first).build());

            VerifiedIdToken refreshed = relyingParty.validateRefreshed(next.idToken().orElseThrow(), login,
                    next.accessToken());
            assertThat(refreshed.nonce()).isEmpty();
            assertThat(refreshed.issuedAt()).isEqualTo(login.issuedAt().plus(Duration.ofMinutes(15)));
            assertThat(refreshed.authTime()).isEqualTo(login.authTime());
            assertThat(refreshed.acr()).contains("urn:example:silver");
            assertThat(refreshed.amr()).containsExactly("pwd");
            assertThat(refreshed.sessionId()).isEqualTo(next.sessionId());
            assertThat(refreshed.claims()).containsEntry("email", "alice@example.com");
            assertThat(next.refreshToken()).isNotEqualTo(first.refreshToken());
        }

        @Test
        void reuseModeIsTheReferenceProvider() {
            TokenService tokens = service(b -> b.rotation(RefreshRotation.REUSE));
            TokenPair first = tokens.issue(login());
            VerifiedIdToken login = relyingParty.validate(first.idToken().orElseThrow(), "n-1", first.accessToken());

            for (int i = 1; i <= 3; i++) {
                clock.advance(Duration.ofMinutes(15));
                TokenPair next = tokens.refresh(refreshOf(first).build());

                assertThat(next.refreshToken()).isEqualTo(first.refreshToken());
                assertThat(next.accessToken()).isNotEqualTo(first.accessToken());
                assertThat(next.idToken()).isNotEqualTo(first.idToken());
                assertThat(relyingParty.validateRefreshed(next.idToken().orElseThrow(), login, next.accessToken())
                        .issuedAt()).isEqualTo(login.issuedAt().plus(Duration.ofMinutes(15L * i)));
            }
        }

        @Test
        void narrowingAwayOpenidDropsTheIdToken() {
            TokenService tokens = service(b -> { });
            TokenPair next = tokens.refresh(refreshOf(tokens.issue(login())).scopes("profile").build());

            assertThat(next.idToken()).isEmpty();
        }

        @Test
        void aFailingCustomizerConsumesNothing() {
            TokenService tokens = service(b -> { });
            TokenPair first = tokens.issue(login());
            int before = writes.get();
            customizerFails.set(true);

            assertThat(catchThrowableOfType(IllegalStateException.class,
                    () -> tokens.refresh(refreshOf(first).build()))).hasMessage("the user directory did not answer");

            assertThat(writes.get()).isEqualTo(before);
            customizerFails.set(false);
            assertThat(tokens.refresh(refreshOf(first).build()).idToken()).isPresent();
        }

        @Test
        void aFailingCustomizerLeavesNoSessionBehindAtLogin() {
            TokenService tokens = service(b -> { });
            customizerFails.set(true);

            assertThat(catchThrowableOfType(IllegalStateException.class, () -> tokens.issue(login()))).isNotNull();
            assertThat(writes.get()).isZero();
            assertThat(memory.familyCount()).isZero();
        }
    }

    @Nested
    @DisplayName("Resource indicators (RFC 8707)")
    class ResourceIndicators {

        @Test
        void aLoginNamesAudiencesAndARefreshNarrowsThem() {
            TokenService tokens = service(b -> { });
            TokenPair first = tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("profile")
                    .audiences(API, REPORTS).build());
            assertThat(audienceAt(API, first.accessToken())).containsExactly(API, REPORTS);

            TokenPair narrowed = tokens.refresh(refreshOf(first).audiences(REPORTS).build());

            assertThat(audienceAt(REPORTS, narrowed.accessToken())).containsExactly(REPORTS);
            TokenPair whole = tokens.refresh(refreshOf(narrowed).build());
            assertThat(audienceAt(REPORTS, whole.accessToken())).containsExactly(API, REPORTS);
        }

        @Test
        void aRefreshAskingForAnAudienceNotGrantedIsInvalidTargetAndConsumesNothing() {
            TokenService tokens = service(b -> { });
            TokenPair first = tokens.issue(IssueRequest.forSubject("alice").client("web").audiences(API).build());
            int before = writes.get();

            InvalidTargetException refused = catchThrowableOfType(InvalidTargetException.class,
                    () -> tokens.refresh(refreshOf(first).audiences(REPORTS).build()));

            assertThat(refused.oauthError()).isEqualTo("invalid_target");
            assertThat(refused.httpStatus()).isEqualTo(400);
            assertThat(writes.get()).isEqualTo(before);
            assertThat(tokens.refresh(refreshOf(first).build()).refreshToken()).isPresent();
        }

        @Test
        void aLoginAskingForAnAudienceTheServiceDoesNotServeStoresNothing() {
            TokenService tokens = service(b -> { });

            InvalidTargetException refused = catchThrowableOfType(InvalidTargetException.class,
                    () -> tokens.issue(IssueRequest.forSubject("alice").client("web")
                            .audiences("https://elsewhere.example.com").build()));

            assertThat(refused.oauthError()).isEqualTo("invalid_target");
            assertThat(writes.get()).isZero();
        }

        @Test
        void aReplayedTokenAnswersInvalidGrantWhateverAudienceItAsksFor() {
            TokenService tokens = service(b -> { });
            TokenPair first = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
            tokens.refresh(refreshOf(first).build());

            InvalidGrantException refused = catchThrowableOfType(InvalidGrantException.class,
                    () -> tokens.refresh(refreshOf(first).audiences(REPORTS).build()));

            assertThat(refused.reason()).isEqualTo(InvalidGrantException.Reason.REUSED);
        }
    }

    @Nested
    @DisplayName("Access tokens without a refresh token (client_credentials)")
    class AccessOnly {

        @Test
        void writesNothingToTheStore() {
            TokenService tokens = service(b -> { });

            TokenPair pair = tokens.issueAccessToken(IssueRequest.forSubject("batch").client("batch")
                    .scopes("reports:read").audiences(REPORTS).build());

            assertThat(pair.refreshToken()).isEmpty();
            assertThat(pair.sessionId()).isEmpty();
            assertThat(writes.get()).isZero();
            assertThat(memory.familyCount()).isZero();
            assertThat(tokens.introspect(pair.accessToken()).active()).isTrue();
        }
    }

    @Nested
    @DisplayName("Introspection sees revocation")
    class IntrospectionSeesRevocation {

        @Test
        void anAccessTokenOfARevokedSessionIsInactiveWithoutRevocationAwareValidation() {
            TokenService tokens = service(b -> { });
            TokenPair pair = tokens.issue(login());
            assertThat(tokens.introspect(pair.accessToken()).active()).isTrue();

            tokens.revoke(pair.refreshToken().orElseThrow());

            assertThat(tokens.introspect(pair.accessToken())).isEqualTo(Introspection.inactive());
        }

        @Test
        void anAccessTokenForAnotherAudienceOfTheServiceIsAnswered() {
            TokenService tokens = service(b -> { });
            TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").audiences(REPORTS).build());

            assertThat(tokens.introspect(pair.accessToken())).isInstanceOfSatisfying(Introspection.Active.class,
                    active -> assertThat(active.audience()).containsExactly(REPORTS));
            assertThat(catchThrowableOfType(dev.jeton.InvalidTokenException.class,
                    () -> tokens.validate(pair.accessToken())).reason())
                    .isEqualTo(dev.jeton.InvalidTokenException.Reason.WRONG_AUDIENCE);
        }
    }

    @Test
    void aTokenTheVerifiedCacheHoldsForAnotherAudienceIsStillRefusedByValidate() {
        TokenService tokens = service(b -> b.verifiedTokenCache(100));
        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").audiences(REPORTS).build());
        assertThat(tokens.introspect(pair.accessToken()).active()).isTrue();

        assertThat(catchThrowableOfType(dev.jeton.InvalidTokenException.class,
                () -> tokens.validate(pair.accessToken())).reason())
                .isEqualTo(dev.jeton.InvalidTokenException.Reason.WRONG_AUDIENCE);
    }

    @Test
    void theLoginsIdTokenFactsAreKeptInTheStoredClaimsOnlyWhenTheyDifferFromTheDefaults() {
        TokenService tokens = service(b -> { });
        TokenPair plain = tokens.issue(IssueRequest.forSubject("bob").client("web").claim("roles", "admin").build());
        TokenPair oidc = tokens.issue(login());

        assertThat(memory.findFamily(plain.sessionId().orElseThrow()).orElseThrow().family().claimsJson())
                .isEqualTo("{\"roles\":\"admin\"}");
        assertThat(memory.findFamily(oidc.sessionId().orElseThrow()).orElseThrow().family().claimsJson())
                .isEqualTo("{\"jeton:login\":{\"acr\":\"urn:example:silver\",\"amr\":[\"pwd\"]}}")
                .doesNotContain("n-1");
    }
}
