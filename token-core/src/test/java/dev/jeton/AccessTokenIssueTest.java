package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.jeton.InvalidTokenException.Reason;
import dev.jeton.internal.VerifiedTokenCache;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.ProviderPolicy;
import dev.jeton.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issuing access tokens with {@link TokenService}: the RFC 9068 shape, every algorithm, claims, events, options. */
class AccessTokenIssueTest {

    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "https://api.example.com";
    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");

    private static final Map<JwsAlgorithm, JwtKey> KEYS = new EnumMap<>(JwsAlgorithm.class);
    private static JwtKey ed448;

    private TestClock clock;

    @BeforeAll
    static void generateKeys() throws GeneralSecurityException {
        for (JwsAlgorithm alg : JwsAlgorithm.values()) {
            KEYS.put(alg, JwtKey.generate(alg.name().toLowerCase() + "-1", alg));
        }
        ed448 = JwtKey.ofKeyPair("ed448-1", JwsAlgorithm.EdDSA,
                KeyPairGenerator.getInstance("Ed448").generateKeyPair());
    }

    @BeforeEach
    void startClock() {
        clock = TestClock.at(START);
    }

    private TokenService service(KeyProvider keys, Consumer<TokenService.Builder> options) {
        TokenService.Builder builder = TokenService.builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .keys(keys)
                .clock(clock);
        options.accept(builder);
        return builder.build();
    }

    private TokenService service(Consumer<TokenService.Builder> options) {
        return service(KeyProvider.of(KEYS.get(JwsAlgorithm.ES256)), options);
    }

    private static IssueRequest request() {
        return IssueRequest.forSubject("user-123").client("web").scopes("openid", "profile", "email").build();
    }

    private static Map<String, Object> decode(String segment) {
        try {
            return JSONObjectUtils.parse(new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String[] segments(String token) {
        return token.split("\\.", -1);
    }

    private static InvalidTokenException refusal(TokenService service, String token) {
        InvalidTokenException e = catchThrowableOfType(InvalidTokenException.class, () -> service.validate(token));
        assertThat(e).as("refusal").isNotNull();
        return e;
    }

    @Nested
    @DisplayName("An issued access token follows RFC 9068")
    class Profile {

        @Test
        void headerHoldsAlgTypAtJwtAndKid() {
            TokenPair pair = service(b -> { }).issue(request());
            String[] s = segments(pair.accessToken());

            assertThat(s).hasSize(3);
            assertThat(new String(Base64.getUrlDecoder().decode(s[0]), StandardCharsets.UTF_8))
                    .isEqualTo("{\"alg\":\"ES256\",\"typ\":\"at+jwt\",\"kid\":\"es256-1\"}");
            assertThat(s[0]).doesNotContain("=");
            assertThat(s[2]).hasSize(86);
        }

        @Test
        void claimsHoldTheRequiredMembers() {
            TokenPair pair = service(b -> b.accessTokenTtl(Duration.ofMinutes(5))).issue(request());
            Map<String, Object> claims = decode(segments(pair.accessToken())[1]);

            assertThat(claims).containsOnlyKeys("iss", "sub", "aud", "exp", "iat", "jti", "client_id", "scope");
            assertThat(claims).containsEntry("iss", ISSUER)
                    .containsEntry("sub", "user-123")
                    .containsEntry("aud", AUDIENCE)
                    .containsEntry("client_id", "web")
                    .containsEntry("scope", "openid profile email")
                    .containsEntry("iat", START.getEpochSecond())
                    .containsEntry("exp", START.getEpochSecond() + 300)
                    .containsEntry("jti", pair.accessTokenId());
            assertThat(pair.expiresIn()).isEqualTo(Duration.ofMinutes(5));
            assertThat(pair.expiresAt()).isEqualTo(START.plusSeconds(300));
            assertThat(pair.scopes()).containsExactly("openid", "profile", "email");
            assertThat(pair.refreshToken()).isEmpty();
        }

        @Test
        void expIsIatPlusTheDefaultTtlOfFifteenMinutes() {
            clock.advance(Duration.ofMillis(1_750));
            Map<String, Object> claims = decode(segments(service(b -> { }).issue(request()).accessToken())[1]);

            assertThat(claims.get("iat")).isEqualTo(START.getEpochSecond() + 1);
            assertThat(claims.get("exp")).isEqualTo(START.getEpochSecond() + 1 + 900);
        }

        @Test
        void noScopeMeansNoScopeClaim() {
            TokenPair pair = service(b -> { }).issue(IssueRequest.forSubject("user-123").client("web").build());

            assertThat(decode(segments(pair.accessToken())[1])).doesNotContainKey("scope");
            assertThat(service(b -> { }).validate(pair.accessToken()).scopes()).isEmpty();
        }

        @Test
        void jtiIsUniqueAndUnguessable() {
            TokenService service = service(b -> { });
            Set<String> jtis = new HashSet<>();
            for (int i = 0; i < 500; i++) {
                TokenPair pair = service.issue(request());
                String jti = (String) decode(segments(pair.accessToken())[1]).get("jti");
                assertThat(jti).isEqualTo(pair.accessTokenId()).hasSizeGreaterThanOrEqualTo(22);
                jtis.add(jti);
            }
            assertThat(jtis).hasSize(500);
        }

        @Test
        void extraClaimsFollowTheReservedOnes() {
            TokenService service = service(b -> b.claimsCustomizer(r -> Map.of("tenant", "acme")));
            TokenPair pair = service.issue(IssueRequest.forSubject("user-123").client("web")
                    .claim("roles", List.of("admin", "ops")).claim("level", 3).build());

            Map<String, Object> claims = decode(segments(pair.accessToken())[1]);
            assertThat(claims).containsEntry("roles", List.of("admin", "ops")).containsEntry("level", 3L)
                    .containsEntry("tenant", "acme");
            VerifiedAccessToken verified = service.validate(pair.accessToken());
            assertThat(verified.claim("roles", List.class)).contains(List.of("admin", "ops"));
            assertThat(verified.claim("tenant", String.class)).contains("acme");
        }
    }

    static Stream<Arguments> everyAlgorithmUnderEveryPolicy() {
        List<Arguments> cases = new ArrayList<>();
        for (ProviderPolicy policy : ProviderPolicy.values()) {
            for (JwsAlgorithm alg : JwsAlgorithm.values()) {
                cases.add(Arguments.of(alg == JwsAlgorithm.EdDSA ? "EdDSA (Ed25519)" : alg.name(), KEYS.get(alg),
                        policy));
            }
            cases.add(Arguments.of("EdDSA (Ed448)", ed448, policy));
        }
        return cases.stream();
    }

    @Nested
    @DisplayName("Every algorithm round-trips under every provider policy")
    class RoundTrip {

        @ParameterizedTest(name = "{0} with {2}")
        @MethodSource("dev.jeton.AccessTokenIssueTest#everyAlgorithmUnderEveryPolicy")
        void issuedTokenValidates(String name, JwtKey key, ProviderPolicy policy) {
            TokenService service = service(KeyProvider.of(key), b -> b.providerPolicy(policy));

            TokenPair pair = service.issue(request());
            VerifiedAccessToken verified = service.validate(pair.accessToken());

            assertThat(decode(segments(pair.accessToken())[0])).containsEntry("alg", key.algorithm().id())
                    .containsEntry("kid", key.kid());
            assertThat(Base64.getUrlDecoder().decode(segments(pair.accessToken())[2]))
                    .hasSize(key.signatureLength());
            assertThat(verified.subject()).isEqualTo("user-123");
            assertThat(verified.clientId()).isEqualTo("web");
            assertThat(verified.issuer()).isEqualTo(ISSUER);
            assertThat(verified.audience()).containsExactly(AUDIENCE);
            assertThat(verified.scopes()).containsExactly("openid", "profile", "email");
            assertThat(verified.jti()).isEqualTo(pair.accessTokenId());
            assertThat(verified.issuedAt()).isEqualTo(START);
            assertThat(verified.expiresAt()).isEqualTo(pair.expiresAt());
            assertThat(verified.keyId()).isEqualTo(key.kid());
            assertThat(verified.algorithm()).isEqualTo(key.algorithm());
        }

        @ParameterizedTest(name = "{0} signed with {2}")
        @MethodSource("dev.jeton.AccessTokenIssueTest#everyAlgorithmUnderEveryPolicy")
        void tokenSignedUnderOnePolicyValidatesUnderTheOther(String name, JwtKey key, ProviderPolicy policy) {
            ProviderPolicy other = policy == ProviderPolicy.FASTEST ? ProviderPolicy.JDK_ONLY : ProviderPolicy.FASTEST;
            String token = service(KeyProvider.of(key), b -> b.providerPolicy(policy)).issue(request()).accessToken();

            assertThat(service(KeyProvider.of(key), b -> b.providerPolicy(other)).validate(token).keyId())
                    .isEqualTo(key.kid());
        }

        @Test
        void tokenOfAnotherIssuerIsRefused() {
            String token = service(b -> { }).issue(request()).accessToken();
            TokenService other = TokenService.builder().issuer(ISSUER + "/").audience(AUDIENCE)
                    .keys(KeyProvider.of(KEYS.get(JwsAlgorithm.ES256))).clock(clock).build();

            assertThat(refusal(other, token).reason()).isEqualTo(Reason.WRONG_ISSUER);
        }

        @Test
        void tokenExpiresAfterItsTtl() {
            TokenService service = service(b -> b.accessTokenTtl(Duration.ofSeconds(60)));
            String token = service.issue(request()).accessToken();

            clock.advance(Duration.ofSeconds(59));
            assertThat(service.validate(token).subject()).isEqualTo("user-123");
            clock.advance(Duration.ofSeconds(1));
            assertThat(refusal(service, token).reason()).isEqualTo(Reason.EXPIRED);
        }

        @Test
        void anExpiredTokenIsToldWhenItExpiredTheTimeNowAndTheSkewAllowed() {
            TokenService service = service(b -> b.accessTokenTtl(Duration.ofSeconds(60))
                    .clockSkew(Duration.ofSeconds(30)));
            String token = service.issue(request()).accessToken();

            clock.advance(Duration.ofSeconds(95));

            assertThat(refusal(service, token).getMessage()).isEqualTo("EXPIRED: token expired at 2026-03-01T10:01:00Z;"
                    + " now 2026-03-01T10:01:35Z; allowed clock skew PT30S").doesNotContain(token);
        }
    }

    @Nested
    @DisplayName("algorithms(...) narrows what the service signs with and accepts")
    class Algorithms {

        @Test
        void aTokenOfAnotherAllowedKeyButAlgorithmOutsideTheListIsRefused() {
            JwtKey es256 = KEYS.get(JwsAlgorithm.ES256);
            JwtKey rs256 = KEYS.get(JwsAlgorithm.RS256);
            TokenService rsaIssuer = service(KeyProvider.of(rs256), b -> { });
            TokenService service = service(KeyProvider.of(es256, rs256),
                    b -> b.algorithms(JwsAlgorithm.ES256));

            assertThat(service.validate(service.issue(request()).accessToken()).algorithm())
                    .isEqualTo(JwsAlgorithm.ES256);
            assertThat(refusal(service, rsaIssuer.issue(request()).accessToken()).reason())
                    .isEqualTo(Reason.ALGORITHM_NOT_ALLOWED);
        }

        @Test
        void issuingWithASigningKeyOutsideTheListFailsAndNamesTheOption() {
            TokenService service = service(KeyProvider.of(KEYS.get(JwsAlgorithm.RS256)),
                    b -> b.algorithms(JwsAlgorithm.ES256, JwsAlgorithm.EdDSA));

            assertThatThrownBy(() -> service.issue(request())).isInstanceOf(KeyException.class)
                    .hasMessageContaining("RS256").hasMessageContaining("algorithms(...)");
        }

        @Test
        void setTwiceOrEmptyIsRefused() {
            assertThatThrownBy(() -> TokenService.builder().algorithms(JwsAlgorithm.ES256)
                    .algorithms(JwsAlgorithm.ES256))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("algorithms was already set");
            assertThatThrownBy(() -> TokenService.builder().algorithms())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("algorithms");
        }
    }

    @Nested
    @DisplayName("Reserved claims cannot be set by a request or a customizer")
    class ReservedClaims {

        @ParameterizedTest
        @ValueSource(strings = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "sid"})
        void requestRefusesReservedClaim(String name) {
            IssueRequest.Builder builder = IssueRequest.forSubject("user-123").client("web");

            assertThatThrownBy(() -> builder.claim(name, "x"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + name + "'");
        }

        @Test
        void requestRecordRefusesReservedClaim() {
            assertThatThrownBy(() -> new IssueRequest("user-123", "web", Set.of(), Map.of("sub", "admin")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'sub'");
        }

        @Test
        void reservedClaimsAreExactlyTheDocumentedOnes() {
            assertThat(IssueRequest.RESERVED_CLAIMS)
                    .containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope",
                            "sid");
        }

        @ParameterizedTest
        @ValueSource(strings = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "sid"})
        void customizerSettingReservedClaimFailsIssue(String name) {
            List<TokenEvent> events = new CopyOnWriteArrayList<>();
            TokenService service = service(b -> b.claimsCustomizer(r -> Map.of(name, "admin"))
                    .eventListener(events::add));

            assertThatThrownBy(() -> service.issue(request()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("claims customizer")
                    .hasMessageContaining("'" + name + "'");
            assertThat(events).isEmpty();
        }

        @Test
        void customizerReturningANonJsonValueFailsIssue() {
            TokenService service = service(b -> b.claimsCustomizer(r -> Map.of("when", Instant.EPOCH)));

            assertThatThrownBy(() -> service.issue(request()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("'when'");
        }

        @Test
        void customizerOverridingARequestClaimFailsIssue() {
            TokenService service = service(b -> b.claimsCustomizer(r -> Map.of("tenant", "other")));
            IssueRequest request = IssueRequest.forSubject("user-123").client("web").claim("tenant", "acme").build();

            assertThatThrownBy(() -> service.issue(request))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'tenant'")
                    .hasMessageContaining("already set by the request");
        }

        @Test
        void customizerSeesTheRequest() {
            TokenService service = service(b -> b.claimsCustomizer(r -> Map.of("for", r.subject() + "@" + r.clientId())));

            String token = service.issue(request()).accessToken();

            assertThat(service.validate(token).claim("for", String.class)).contains("user-123@web");
        }
    }

    @Nested
    @DisplayName("Events reach the listener, and a failing listener fails nothing")
    class Events {

        @Test
        void issueAndRefusalArePublished() {
            List<TokenEvent> events = new CopyOnWriteArrayList<>();
            TokenService service = service(b -> b.eventListener(events::add));

            TokenPair pair = service.issue(request());
            clock.advance(Duration.ofMinutes(20));
            InvalidTokenException refused = refusal(service, pair.accessToken());
            refusal(service, "not-a-token");

            assertThat(refused.reason()).isEqualTo(Reason.EXPIRED);
            assertThat(events).containsExactly(
                    new TokenEvent.Issued(START, pair.accessTokenId(), "user-123", "web", Optional.empty()),
                    new TokenEvent.ValidationFailed(START.plus(Duration.ofMinutes(20)), Reason.EXPIRED),
                    new TokenEvent.ValidationFailed(START.plus(Duration.ofMinutes(20)), Reason.MALFORMED));
        }

        @Test
        void successfulValidationPublishesOneValidatedEventWithoutTheToken() {
            List<TokenEvent> events = new CopyOnWriteArrayList<>();
            TokenService service = service(b -> b.eventListener(events::add));
            TokenPair pair = service.issue(request());
            events.clear();

            service.validate(pair.accessToken());

            assertThat(events).containsExactly(new TokenEvent.Validated(START, pair.accessTokenId(), "web"));
            assertThat(events.get(0).toString()).doesNotContain(pair.accessToken());
        }

        @Test
        void throwingListenerDoesNotFailIssueOrValidate() {
            TokenService service = service(b -> b.eventListener(event -> {
                throw new IllegalStateException("listener is broken");
            }));

            TokenPair pair = service.issue(request());
            assertThat(service.validate(pair.accessToken()).jti()).isEqualTo(pair.accessTokenId());
            clock.advance(Duration.ofHours(1));
            assertThat(refusal(service, pair.accessToken()).reason()).isEqualTo(Reason.EXPIRED);
        }
    }

    @Nested
    @DisplayName("The builder checks each option and names the one at fault")
    class BuilderChecks {

        @Test
        void missingIssuerIsNamed() {
            assertThatThrownBy(() -> TokenService.builder().audience(AUDIENCE)
                    .keys(KeyProvider.of(KEYS.get(JwsAlgorithm.ES256))).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("issuer(...)")
                    .hasMessageNotContaining("audience(...)")
                    .hasMessageNotContaining("keys(...)");
        }

        @Test
        void missingAudienceIsNamed() {
            assertThatThrownBy(() -> TokenService.builder().issuer(ISSUER)
                    .keys(KeyProvider.of(KEYS.get(JwsAlgorithm.ES256))).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("audience(...)")
                    .hasMessageNotContaining("issuer(...)");
        }

        @Test
        void missingKeysAreNamed() {
            assertThatThrownBy(() -> TokenService.builder().issuer(ISSUER).audience(AUDIENCE).build())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("keys(...)");
        }

        @Test
        void optionSetTwiceIsRefusedWithItsName() {
            KeyProvider keys = KeyProvider.of(KEYS.get(JwsAlgorithm.ES256));
            assertThatThrownBy(() -> TokenService.builder().issuer(ISSUER).issuer("https://other.example.com"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("issuer was already set");
            assertThatThrownBy(() -> TokenService.builder().audience(AUDIENCE).audience(AUDIENCE))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("audience was already set");
            assertThatThrownBy(() -> TokenService.builder().keys(keys).keys(keys))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("keys was already set");
            assertThatThrownBy(() -> TokenService.builder().clock(clock).clock(clock))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("clock was already set");
            assertThatThrownBy(() -> TokenService.builder().accessTokenTtl(Duration.ofMinutes(5))
                    .accessTokenTtl(Duration.ofMinutes(10)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("accessTokenTtl was already set");
            assertThatThrownBy(() -> TokenService.builder().clockSkew(Duration.ZERO).clockSkew(Duration.ZERO))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("clockSkew was already set");
            assertThatThrownBy(() -> TokenService.builder().verifiedTokenCache(10).verifiedTokenCache(20))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("verifiedTokenCache");
            assertThatThrownBy(() -> TokenService.builder().providerPolicy(ProviderPolicy.FASTEST)
                    .providerPolicy(ProviderPolicy.JDK_ONLY))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("providerPolicy was already set");
            assertThatThrownBy(() -> TokenService.builder().claimsCustomizer(r -> Map.of())
                    .claimsCustomizer(r -> Map.of()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("claimsCustomizer was already set");
            assertThatThrownBy(() -> TokenService.builder().eventListener(e -> { }).eventListener(e -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("eventListener was already set");
        }

        @ParameterizedTest
        @ValueSource(strings = {"PT0S", "PT0.999S", "PT1.5S", "PT24H0.001S", "PT24H1S", "PT-1S", "P2D"})
        void accessTokenTtlOutOfRangeIsRefused(String ttl) {
            assertThatThrownBy(() -> TokenService.builder().accessTokenTtl(Duration.parse(ttl)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("accessTokenTtl");
        }

        @ParameterizedTest
        @ValueSource(strings = {"PT1S", "PT15M", "PT24H"})
        void accessTokenTtlInRangeIsAccepted(String ttl) {
            TokenService service = service(b -> b.accessTokenTtl(Duration.parse(ttl)));

            assertThat(service.issue(request()).expiresIn()).isEqualTo(Duration.parse(ttl));
        }

        @Test
        void clockSkewBeyondFiveMinutesIsRefused() {
            assertThatThrownBy(() -> TokenService.builder().clockSkew(Duration.ofMinutes(5).plusMillis(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
            assertThatThrownBy(() -> TokenService.builder().clockSkew(Duration.ofMillis(-1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clockSkew");
        }

        @Test
        void blankIssuerOrAudienceIsRefused() {
            assertThatThrownBy(() -> TokenService.builder().issuer(" "))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
            assertThatThrownBy(() -> TokenService.builder().audience(""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
        }

        @Test
        void verifyingOnlyKeysCannotIssue() {
            JwtKey key = KEYS.get(JwsAlgorithm.ES256);
            TokenService service = service(KeyProvider.verifyingOnly(List.of(
                    JwtKey.ofPublicKey(key.kid(), key.algorithm(), (PublicKey) key.verificationKey()))),
                    b -> { });

            assertThatThrownBy(() -> service.issue(request())).isInstanceOf(KeyException.class);
        }
    }

    /** A key set whose keys a test changes while a service uses it. */
    static final class MutableKeyProvider implements KeyProvider {
        private final JwtKey signingKey;
        private final Map<String, JwtKey> keys = new ConcurrentHashMap<>();

        MutableKeyProvider(JwtKey signingKey) {
            this.signingKey = signingKey;
            keys.put(signingKey.kid(), signingKey);
        }

        void remove(String kid) {
            keys.remove(kid);
        }

        void put(JwtKey key) {
            keys.put(key.kid(), key);
        }

        @Override
        public JwtKey signingKey() {
            return signingKey;
        }

        @Override
        public Optional<JwtKey> verificationKey(String kid) {
            return Optional.ofNullable(keys.get(kid));
        }

        @Override
        public List<JwtKey> verificationKeys() {
            return List.copyOf(keys.values());
        }
    }

    @Nested
    @DisplayName("The verified-token cache re-checks time and key on every hit")
    class Cache {

        private MutableKeyProvider keys;
        private TokenService service;

        @BeforeEach
        void cachingService() {
            keys = new MutableKeyProvider(KEYS.get(JwsAlgorithm.ES256));
            service = service(keys, b -> b.verifiedTokenCache(100));
        }

        @Test
        void hitReturnsTheSameClaims() {
            String token = service.issue(request()).accessToken();

            VerifiedAccessToken first = service.validate(token);
            VerifiedAccessToken second = service.validate(token);

            assertThat(second).isSameAs(first);
            assertThat(second.subject()).isEqualTo("user-123");
        }

        @Test
        void withoutCacheEachValidationVerifiesAgain() {
            TokenService uncached = service(keys, b -> { });
            String token = uncached.issue(request()).accessToken();

            assertThat(uncached.validate(token)).isNotSameAs(uncached.validate(token))
                    .isEqualTo(uncached.validate(token));
        }

        @Test
        void expiredCachedTokenIsRefused() {
            String token = service.issue(request()).accessToken();
            service.validate(token);

            clock.advance(Duration.ofMinutes(15));

            assertThat(refusal(service, token).reason()).isEqualTo(Reason.EXPIRED);
        }

        @Test
        void expiredCachedTokenIsToldWhenItExpiredTheTimeNowAndTheSkewAllowed() {
            String token = service.issue(request()).accessToken();
            service.validate(token);

            clock.advance(Duration.ofMinutes(15).plusSeconds(1));

            assertThat(refusal(service, token).getMessage()).isEqualTo("EXPIRED: token expired at 2026-03-01T10:15:00Z;"
                    + " now 2026-03-01T10:15:01Z; allowed clock skew PT0S");
        }

        @Test
        void cachedTokenWhoseKeyWasRemovedIsUnknownKey() {
            String token = service.issue(request()).accessToken();
            service.validate(token);

            keys.remove(KEYS.get(JwsAlgorithm.ES256).kid());

            assertThat(refusal(service, token).reason()).isEqualTo(Reason.UNKNOWN_KEY);
        }

        @Test
        void cachedTokenWhoseKeyWasReplacedIsVerifiedAgainstTheNewKey() {
            String token = service.issue(request()).accessToken();
            service.validate(token);

            keys.put(JwtKey.generate(KEYS.get(JwsAlgorithm.ES256).kid(), JwsAlgorithm.ES256));

            assertThat(refusal(service, token).reason()).isEqualTo(Reason.BAD_SIGNATURE);
        }

        @Test
        void refusedTokenNeverEntersTheCache() {
            String token = service.issue(request()).accessToken();
            keys.remove(KEYS.get(JwsAlgorithm.ES256).kid());
            assertThat(refusal(service, token).reason()).isEqualTo(Reason.UNKNOWN_KEY);

            keys.put(KEYS.get(JwsAlgorithm.ES256));
            VerifiedAccessToken first = service.validate(token);

            assertThat(service.validate(token)).isSameAs(first);
        }

        @Test
        void tinyCacheStillValidatesEveryToken() {
            TokenService tiny = service(keys, b -> b.verifiedTokenCache(1));
            String a = tiny.issue(request()).accessToken();
            String b = tiny.issue(request()).accessToken();

            for (int i = 0; i < 3; i++) {
                assertThat(tiny.validate(a).jti()).isNotEqualTo(tiny.validate(b).jti());
            }
            VerifiedAccessToken last = tiny.validate(b);
            assertThat(tiny.validate(b)).isSameAs(last);
        }

        @Test
        void cacheStaysBoundedAtItsMaximumSize() {
            TokenService issuer = service(keys, b -> { });
            VerifiedTokenCache cache = new VerifiedTokenCache(10);
            JwtKey key = KEYS.get(JwsAlgorithm.ES256);
            for (int i = 0; i < 100; i++) {
                String token = issuer.issue(request()).accessToken();
                VerifiedAccessToken verified = issuer.validate(token);
                cache.put(token, new VerifiedTokenCache.Entry(verified, key,
                        verified.expiresAt().toEpochMilli(), Long.MIN_VALUE));
                assertThat(cache.size()).isBetween(1, 10);
            }
            assertThat(cache.size()).isGreaterThanOrEqualTo(9);
        }

        @Test
        void cacheSizeOutOfRangeIsRefused() {
            assertThatThrownBy(() -> TokenService.builder().verifiedTokenCache(0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("verifiedTokenCache");
        }
    }

    @Nested
    @DisplayName("TokenPair renders the RFC 6749 §5.1 response and never shows a token")
    class Pair {

        @Test
        void toMapHoldsTheResponseMembers() {
            TokenPair pair = service(b -> b.accessTokenTtl(Duration.ofMinutes(10))).issue(request());

            assertThat(pair.toMap()).containsExactly(
                    Map.entry("access_token", pair.accessToken()),
                    Map.entry("token_type", "Bearer"),
                    Map.entry("expires_in", 600L),
                    Map.entry("scope", "openid profile email"));
        }

        @Test
        void toMapAddsTheRefreshTokenAndLeavesOutEmptyScope() {
            TokenPair pair = new TokenPair("at.at.at", "jti-1", Duration.ofSeconds(60), START.plusSeconds(60),
                    Set.of(), Optional.of("refresh-secret"), Optional.of("family-1"));

            assertThat(pair.toMap()).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
                    .containsEntry("refresh_token", "refresh-secret");
        }

        @Test
        void toJsonIsTheSameObject() throws ParseException {
            TokenPair pair = new TokenPair(service(b -> { }).issue(request()).accessToken(), "jti-1",
                    Duration.ofSeconds(900), START.plusSeconds(900), new LinkedHashSet<>(List.of("openid", "profile")),
                    Optional.of("refresh\"secret"), Optional.empty());

            Map<String, Object> json = JSONObjectUtils.parse(pair.toJson());

            assertThat(json).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token", "scope")
                    .containsEntry("access_token", pair.accessToken())
                    .containsEntry("token_type", "Bearer")
                    .containsEntry("expires_in", 900L)
                    .containsEntry("refresh_token", "refresh\"secret")
                    .containsEntry("scope", "openid profile");
        }

        @Test
        void toStringNeverContainsATokenButShowsTheJti() {
            TokenPair issued = service(b -> { }).issue(request());
            TokenPair pair = new TokenPair(issued.accessToken(), issued.accessTokenId(), issued.expiresIn(),
                    issued.expiresAt(), issued.scopes(), Optional.of("refresh-secret-value"), Optional.of("fam-1"));

            assertThat(pair.toString())
                    .doesNotContain(issued.accessToken())
                    .doesNotContain("refresh-secret-value")
                    .contains(issued.accessTokenId());
            for (String segment : segments(issued.accessToken())) {
                assertThat(pair.toString()).doesNotContain(segment);
            }
        }
    }
}
