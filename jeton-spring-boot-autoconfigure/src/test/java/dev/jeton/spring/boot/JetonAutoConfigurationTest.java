package dev.jeton.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.JWSAlgorithm;
import dev.jeton.AccessTokenValidator;
import dev.jeton.IssueRequest;
import dev.jeton.PurgeScheduler;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.RemoteJwksKeyProvider;
import dev.jeton.micrometer.JetonMetrics;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import dev.jeton.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

@ExtendWith(OutputCaptureExtension.class)
class JetonAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JetonAutoConfiguration.class))
            .withPropertyValues("jeton.issuer=https://issuer.test", "jeton.audience=https://api.test");

    private final ApplicationContextRunner withDatabase = runner
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JetonAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:jeton-autoconfig-" + System.nanoTime()
                    + ";DB_CLOSE_DELAY=-1");

    @Nested
    @DisplayName("The store")
    class Store {

        @Test
        void isInMemoryWithAWarningWithoutADataSource(CapturedOutput output) {
            runner.run(context -> {
                assertThat(context).hasSingleBean(TokenStore.class);
                assertThat(context.getBean(TokenStore.class)).isInstanceOf(InMemoryTokenStore.class);
                assertThat(output).contains("Jeton keeps refresh tokens in memory");
            });
        }

        @Test
        void isJdbcOnTheApplicationsDataSourceWithItsTablesCreatedOnAnEmbeddedDatabase() {
            withDatabase.run(context -> {
                assertThat(context.getBean(TokenStore.class)).isInstanceOf(JdbcTokenStore.class);
                TokenService tokens = context.getBean(TokenService.class);
                TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
                assertThat(tokens.introspect(login.refreshToken().orElseThrow()).active()).isTrue();
                assertThat(context.getBean(DataSource.class).getConnection().getMetaData()
                        .getTables(null, null, "JETON_FAMILY", null).next()).isTrue();
            });
        }

        @Test
        void usesTheTablePrefix() {
            withDatabase.withPropertyValues("jeton.store.jdbc.table-prefix=app_tokens_").run(context ->
                    assertThat(((JdbcTokenStore) context.getBean(TokenStore.class)).tablePrefix())
                            .isEqualTo("app_tokens_"));
        }

        @Test
        void isTheApplicationsOwnWhenItHasOne() {
            InMemoryTokenStore own = new InMemoryTokenStore();
            withDatabase.withBean(TokenStore.class, () -> own).run(context -> {
                assertThat(context).hasSingleBean(TokenStore.class);
                assertThat(context.getBean(TokenStore.class)).isSameAs(own);
            });
        }

        @Test
        void canBeChosenOrLeftOut(CapturedOutput output) {
            withDatabase.withPropertyValues("jeton.store.type=IN_MEMORY").run(context ->
                    assertThat(context.getBean(TokenStore.class)).isInstanceOf(InMemoryTokenStore.class));
            assertThat(output).doesNotContain("Jeton keeps refresh tokens in memory");
            withDatabase.withPropertyValues("jeton.store.type=none").run(context -> {
                assertThat(context).doesNotHaveBean(TokenStore.class).doesNotHaveBean(PurgeScheduler.class);
                TokenPair pair = context.getBean(TokenService.class)
                        .issue(IssueRequest.forSubject("alice").client("web").build());
                assertThat(pair.refreshToken()).isEmpty();
            });
        }

        @Test
        void jdbcWithoutADataSourceFailsAtStartUp() {
            runner.withPropertyValues("jeton.store.type=jdbc").run(context -> assertThat(context).hasFailed());
        }

        @Test
        void neverJoinsTheApplicationsTransactionsThroughAProxy() {
            DataSource target = new DriverManagerDataSource("jdbc:h2:mem:proxy");
            DataSource proxy = new TransactionAwareDataSourceProxy(new TransactionAwareDataSourceProxy(target));

            assertThat(JetonStoreConfigurations.ownTransactions(proxy)).isSameAs(target);
            assertThat(JetonStoreConfigurations.ownTransactions(target)).isSameAs(target);
        }
    }

    @Nested
    @DisplayName("The service")
    class Service {

        @Test
        void isBuiltFromThePropertiesWithTheApplicationsClock() {
            TestClock clock = TestClock.at(Instant.parse("2030-01-01T00:00:00Z"));
            runner.withBean(Clock.class, () -> clock).withPropertyValues("jeton.access-token-ttl=5m").run(context -> {
                TokenService tokens = context.getBean(TokenService.class);
                TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
                assertThat(pair.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:05:00Z"));
                assertThat(context.getBean(AccessTokenValidator.class)).isSameAs(tokens.validator());
                assertThat(context).hasSingleBean(PurgeScheduler.class);
            });
        }

        @Test
        void issuesIdTokensWhenTheirLifetimeIsSet() {
            runner.withPropertyValues("jeton.id-token-ttl=10m").run(context -> {
                TokenPair pair = context.getBean(TokenService.class).issue(IssueRequest.forSubject("alice")
                        .client("web").scopes("openid").build());
                assertThat(pair.idToken()).isPresent();
            });
            runner.run(context -> assertThat(context.getBean(TokenService.class).issue(IssueRequest
                    .forSubject("alice").client("web").scopes("openid").build()).idToken()).isEmpty());
        }

        @Test
        void backsOffForTheApplicationsOwn() {
            TokenService own = TokenService.builder().issuer("https://own.test").audience("https://api.test")
                    .keys(KeyProvider.of(JwtKey.generate(JwsAlgorithm.ES256))).build();
            runner.withBean(TokenService.class, () -> own).run(context -> {
                assertThat(context).hasSingleBean(TokenService.class);
                assertThat(context.getBean(TokenService.class)).isSameAs(own);
                assertThat(context.getBean(AccessTokenValidator.class)).isSameAs(own.validator());
            });
        }

        @Test
        void needsTheIssuer() {
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(JetonAutoConfiguration.class))
                    .withPropertyValues("jeton.audience=https://api.test").run(context -> assertThat(context)
                            .getFailure().rootCause().hasMessageContaining("jeton.issuer is required"));
        }

        @Test
        void takesCustomizersAndTheApplicationsListeners() {
            java.util.List<dev.jeton.TokenEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            runner.withBean(dev.jeton.TokenEventListener.class, () -> seen::add)
                    .withBean(TokenServiceBuilderCustomizer.class, () -> builder -> builder.claimsCustomizer(
                            request -> java.util.Map.of("tenant", "acme")))
                    .run(context -> {
                        TokenService tokens = context.getBean(TokenService.class);
                        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
                        assertThat(tokens.validate(pair.accessToken()).claim("tenant", String.class))
                                .contains("acme");
                        assertThat(seen).hasSize(2);
                    });
        }

        @Test
        void isSwitchedOffByJetonEnabledFalse() {
            runner.withPropertyValues("jeton.enabled=false").run(context ->
                    assertThat(context).doesNotHaveBean(TokenService.class).doesNotHaveBean(KeyProvider.class));
        }
    }

    @Nested
    @DisplayName("Keys come from Spring resources")
    class Keys {

        @Test
        void aGeneratedKeyIsUsedWithAWarningWhenNoneIsConfigured(CapturedOutput output) {
            runner.run(context -> {
                assertThat(context.getBean(KeyProvider.class).signingKey().algorithm()).isEqualTo(JwsAlgorithm.ES256);
                assertThat(output).contains("No jeton.keys.* source is configured");
            });
        }

        @Test
        void fromAPkcs12Store(@TempDir Path dir) throws Exception {
            KeyPair pair = KeyPairGenerator.getInstance("RSA").generateKeyPair();
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(new X500Name("CN=jeton test"), BigInteger.ONE,
                            Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                            new X500Name("CN=jeton test"), pair.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("signing", pair.getPrivate(), "store-pass".toCharArray(),
                    new java.security.cert.Certificate[] {certificate});
            Path file = dir.resolve("keys.p12");
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, "store-pass".toCharArray());
            }
            runner.withPropertyValues("jeton.keys.pkcs12.location=file:" + file,
                    "jeton.keys.pkcs12.password=store-pass", "jeton.keys.pkcs12.alias=signing",
                    "jeton.keys.pkcs12.algorithm=RS256").run(context -> {
                        JwtKey key = context.getBean(KeyProvider.class).signingKey();
                        assertThat(key.kid()).isEqualTo("signing");
                        assertThat(key.algorithm()).isEqualTo(JwsAlgorithm.RS256);
                        assertThat(key.verificationKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
                    });
        }

        @Test
        void fromAJwkSetWithAChosenSigningKey(@TempDir Path dir) throws Exception {
            RSAKey first = new RSAKeyGenerator(2048).keyID("2026-01").algorithm(JWSAlgorithm.RS256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            RSAKey second = new RSAKeyGenerator(2048).keyID("2026-02").algorithm(JWSAlgorithm.RS256)
                    .keyUse(KeyUse.SIGNATURE).generate();
            Path file = dir.resolve("keys.jwks");
            Files.writeString(file, new JWKSet(java.util.List.of(first, second)).toString(false));
            runner.withPropertyValues("jeton.keys.jwk-set.location=file:" + file,
                    "jeton.keys.jwk-set.signing-kid=2026-02").run(context -> {
                        KeyProvider keys = context.getBean(KeyProvider.class);
                        assertThat(keys.signingKey().kid()).isEqualTo("2026-02");
                        assertThat(keys.verificationKeys()).extracting(JwtKey::kid)
                                .containsExactlyInAnyOrder("2026-01", "2026-02");
                    });
        }

        @Test
        void twoSourcesAtOnceAreRefused() {
            runner.withPropertyValues("jeton.keys.pem.location=classpath:nothing.pem",
                    "jeton.keys.jwk-set.location=classpath:nothing.jwks").run(context -> assertThat(context)
                    .getFailure().rootCause().hasMessageContaining("jeton.keys.pem, jeton.keys.jwk-set"));
        }

        @Test
        void aRemoteJwksMakesAValidatingOnlyApplication() {
            runner.withPropertyValues("jeton.keys.remote-jwks.uri=https://issuer.test/jwks").run(context -> {
                assertThat(context).doesNotHaveBean(TokenService.class).doesNotHaveBean(PurgeScheduler.class)
                        .hasSingleBean(AccessTokenValidator.class);
                assertThat(context.getBean(KeyProvider.class)).isInstanceOf(RemoteJwksKeyProvider.class);
            });
        }
    }

    @Nested
    @DisplayName("Metrics")
    class Metrics {

        @Test
        void areRegisteredWhenTheApplicationHasAMeterRegistry() {
            runner.withConfiguration(AutoConfigurations.of(JetonMetricsAutoConfiguration.class))
                    .withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
                        assertThat(context).hasSingleBean(JetonMetrics.class);
                        TokenService tokens = context.getBean(TokenService.class);
                        tokens.issue(IssueRequest.forSubject("alice").client("web").build());
                        MeterRegistry registry = context.getBean(MeterRegistry.class);
                        assertThat(registry.get("jeton.tokens.issued").tag("kind", "session").counter().count())
                                .isEqualTo(1);
                        assertThat(registry.get("jeton.store.operations").tag("operation", "create_family")
                                .timer().count()).isEqualTo(1);
                    });
        }

        @Test
        void areLeftOutWithoutAMeterRegistry() {
            runner.withConfiguration(AutoConfigurations.of(JetonMetricsAutoConfiguration.class)).run(context ->
                    assertThat(context).doesNotHaveBean(JetonMetrics.class).hasSingleBean(TokenService.class));
        }
    }
}
