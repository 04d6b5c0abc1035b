package dev.jeton.it.consumer;

import dev.jeton.AccessTokenValidator;
import dev.jeton.InvalidGrantException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenException;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwkSets;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.PemKeys;
import dev.jeton.key.RemoteJwksKeyProvider;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import dev.jeton.testing.TestClock;
import dev.jeton.testing.TokenAssertions;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Issues, validates and refreshes on the module path, through every library Jeton brings: Bouncy Castle (ES256, PEM),
 * jjwt with Jackson (the JWK set), java.net.http (a remote JWK set), SLF4J, and the JDBC store's shipped DDL. Any
 * failure, a missing module included, ends the run with a non-zero status.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Module core = TokenService.class.getModule();
        check(core.isNamed() && core.getName().equals("dev.jeton.core"), "token-core is the module dev.jeton.core");
        check(core.isExported("dev.jeton") && core.isExported("dev.jeton.key") && core.isExported("dev.jeton.store"),
                "token-core exports its API and SPIs");
        check(!core.isExported("dev.jeton.internal"), "token-core does not export dev.jeton.internal");
        check(Main.class.getModule().getName().equals("dev.jeton.it.consumer"), "this application is a named module");

        TestClock clock = TestClock.fixed();
        JwtKey key = JwtKey.generate("consumer-es256", JwsAlgorithm.ES256);
        TokenService tokens = TokenService.builder()
                .issuer("https://auth.example.com")
                .audience("https://api.example.com")
                .keys(KeyProvider.of(key))
                .store(new InMemoryTokenStore())
                .revocationAwareValidation(Duration.ZERO)
                .clock(clock)
                .build();

        TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").scopes("openid").build());
        check(TokenAssertions.assertValid(tokens, login.accessToken()).subject().equals("alice"), "validate");
        clock.advance(Duration.ofMinutes(15));
        TokenAssertions.assertExpired(tokens, login.accessToken());
        TokenPair next = tokens.refresh(refreshOf(login));
        TokenAssertions.assertValid(tokens, next.accessToken());
        TokenAssertions.assertRefreshRefused(tokens, refreshOf(login), InvalidGrantException.Reason.REUSED);
        TokenAssertions.assertRevoked(tokens, next.accessToken());

        check(JwkSets.parsePublic(tokens.jwksJson()).get(0).kid().equals("consumer-es256"), "the JWK set reads back");

        var generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        check(PemKeys.parse(pem, "pem", JwsAlgorithm.ES256).signingKey().isPresent(), "a PEM key loads");

        // Port 9 (discard) refuses the connection: the point is that java.net.http is there to try.
        AccessTokenValidator remote = AccessTokenValidator.builder()
                .issuer("https://auth.example.com")
                .audience("https://api.example.com")
                .keys(RemoteJwksKeyProvider.builder(URI.create("http://127.0.0.1:9/jwks.json"))
                        .connectTimeout(Duration.ofSeconds(2)).build())
                .build();
        try {
            remote.validate(next.accessToken());
            check(false, "a token whose key cannot be fetched is refused");
        } catch (TokenException expected) {
            System.out.println("remote JWK set unreachable, as expected: " + expected.getClass().getSimpleName());
        }

        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:consumer;DB_CLOSE_DELAY=-1");
        TokenService onH2 = TokenService.builder()
                .issuer("https://auth.example.com")
                .audience("https://api.example.com")
                .keys(KeyProvider.of(key))
                .store(JdbcTokenStore.builder(h2).createSchemaIfMissing(true).build())
                .clock(clock)
                .build();
        TokenPair jdbcLogin = onH2.issue(IssueRequest.forSubject("bob").client("web").build());
        TokenAssertions.assertValid(onH2, onH2.refresh(refreshOf(jdbcLogin)).accessToken());

        System.out.println("module-path consumer: every check passed");
    }

    private static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("failed: " + what);
        }
        System.out.println("ok: " + what);
    }
}
