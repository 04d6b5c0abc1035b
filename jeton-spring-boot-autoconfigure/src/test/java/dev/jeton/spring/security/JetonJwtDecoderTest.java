package dev.jeton.spring.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.AccessTokenValidator;
import dev.jeton.InvalidScopeException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

class JetonJwtDecoderTest {

    private final TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    private final KeyProvider keys = KeyProvider.of(JwtKey.generate("k1", JwsAlgorithm.ES256));
    private final TokenService tokens = TokenService.builder().issuer("https://issuer.test")
            .audience("https://api.test").keys(keys)
            .store(new InMemoryTokenStore()).clock(clock).build();
    private final JetonJwtDecoder decoder = new JetonJwtDecoder(tokens.validator());

    private TokenPair login() {
        return tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("openid", "orders")
                .claim("roles", List.of("admin", "auditor")).build());
    }

    @Test
    void aValidTokenBecomesAJwtWithInstantDatesTheVerifiedHeaderAndTheVerifiedToken() {
        TokenPair pair = login();

        Jwt jwt = decoder.decode(pair.accessToken());

        assertThat(jwt).isInstanceOf(JetonJwt.class);
        assertThat(jwt.getTokenValue()).isEqualTo(pair.accessToken());
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getIssuedAt()).isEqualTo(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(jwt.getExpiresAt()).isEqualTo(Instant.parse("2030-01-01T00:15:00Z"));
        assertThat(jwt.getClaims().get("exp")).isInstanceOf(Instant.class);
        assertThat(jwt.getAudience()).containsExactly("https://api.test");
        assertThat(jwt.getHeaders()).containsEntry("alg", "ES256").containsEntry("kid", "k1")
                .containsEntry("typ", "at+jwt");
        assertThat(((JetonJwt) jwt).verifiedAccessToken().sessionId()).isEqualTo(pair.sessionId());
    }

    @Test
    void scopesAndTheRolesClaimBecomeAuthorities() {
        Jwt jwt = decoder.decode(login().accessToken());

        assertThat(JetonGrantedAuthoritiesConverter.withDefaults().convert(jwt))
                .extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("SCOPE_openid", "SCOPE_orders", "ROLE_admin", "ROLE_auditor");
        assertThat(new JetonGrantedAuthoritiesConverter("scope:", "", "").convert(jwt))
                .extracting(GrantedAuthority::getAuthority).containsExactlyInAnyOrder("scope:openid", "scope:orders");
    }

    @Test
    void aRefusedTokenKeepsItsReasonAndSpringAnswersInvalidToken() {
        String token = login().accessToken();
        clock.advance(Duration.ofMinutes(15));

        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOfSatisfying(JetonBadJwtException.class, e -> {
            assertThat(e.reason()).isEqualTo(InvalidTokenException.Reason.EXPIRED);
            assertThat(e.getMessage()).isEqualTo("The access token expired");
            assertThat(TokenExceptions.reason(e)).contains(InvalidTokenException.Reason.EXPIRED);
        });
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        assertThatThrownBy(() -> provider.authenticate(new BearerTokenAuthenticationToken(token)))
                .isInstanceOfSatisfying(InvalidBearerTokenException.class, e -> {
                    assertThat(e.getError().getErrorCode()).isEqualTo("invalid_token");
                    assertThat(e.getError().getDescription()).isEqualTo("The access token expired")
                            .doesNotContain(token);
                    assertThat(TokenExceptions.reason(e)).contains(InvalidTokenException.Reason.EXPIRED);
                });
    }

    @Test
    void aTokenJetonCannotDecideAboutIsAServerErrorNotAVerdict() {
        TokenStoreException down = new TokenStoreException("database down", new RuntimeException());
        TokenStore failingStore = (TokenStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {TokenStore.class}, (proxy, method, args) -> {
                    throw down;
                });
        JetonJwtDecoder revocationAware = new JetonJwtDecoder(AccessTokenValidator.builder()
                .issuer("https://issuer.test").audience("https://api.test").keys(keys).clock(clock)
                .revocationAware(failingStore, Duration.ZERO).build());
        String token = login().accessToken();

        assertThatThrownBy(() -> revocationAware.decode(token)).isInstanceOfSatisfying(JetonJwtException.class,
                e -> assertThat(e.tokenException()).isSameAs(down));
        assertThatThrownBy(() -> new JwtAuthenticationProvider(revocationAware)
                .authenticate(new BearerTokenAuthenticationToken(token)))
                .isInstanceOf(AuthenticationServiceException.class);
    }

    @Test
    void jetonExceptionsMapToSpringSecuritysWithTheirCause() {
        InvalidTokenException refused = new InvalidTokenException(InvalidTokenException.Reason.REVOKED, "revoked");
        TokenStoreException down = new TokenStoreException("database down", new RuntimeException());
        InvalidScopeException scope = new InvalidScopeException("too wide");

        assertThat(TokenExceptions.toSpring(refused)).isInstanceOf(InvalidBearerTokenException.class)
                .hasCause(refused);
        assertThat(TokenExceptions.toSpring(down)).isInstanceOf(AuthenticationServiceException.class)
                .hasCause(down);
        assertThat(TokenExceptions.toSpring(scope)).isInstanceOfSatisfying(OAuth2AuthenticationException.class,
                e -> assertThat(e.getError().getErrorCode()).isEqualTo("invalid_scope"));
        assertThat(TokenExceptions.find(new RuntimeException(new IllegalStateException(down)))).contains(down);
        assertThat(new JetonJwtException(down).tokenException()).isSameAs(down);
    }
}
