package dev.jeton.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.InvalidTokenException;
import dev.jeton.IssueRequest;
import dev.jeton.PurgeScheduler;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenEvent;
import dev.jeton.TokenEventListener;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class JetonMetricsTest {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.ES256);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final JetonMetrics metrics = new JetonMetrics(registry);
    private final TestClock clock = TestClock.fixed();

    private TokenService service(TokenStore store) {
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).store(metrics.instrument(store)).clock(clock).eventListener(metrics)
                .build();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private long timerCount(String name, String... tags) {
        return registry.get(name).tags(tags).timer().count();
    }

    @Nested
    @DisplayName("Counters follow what the service did")
    class Counters {

        @Test
        void aLoginItsUseRefreshReplayAndLogoutAreEachCounted() {
            TokenService tokens = service(new InMemoryTokenStore());
            TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
            tokens.issueAccessToken(IssueRequest.forSubject("job").client("job").build());
            tokens.validate(login.accessToken());
            clock.advance(Duration.ofHours(1));
            assertThatThrownBy(() -> tokens.validate(login.accessToken())).isInstanceOf(InvalidTokenException.class);
            TokenPair next = tokens.refresh(RefreshRequest.of(login.refreshToken().orElseThrow()).client("web")
                    .build());
            assertThatThrownBy(() -> tokens.refresh(RefreshRequest.of(login.refreshToken().orElseThrow())
                    .client("web").build())).isInstanceOf(InvalidGrantException.class);
            TokenPair other = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
            tokens.revoke(other.refreshToken().orElseThrow());
            tokens.revoke(other.accessToken());

            assertThat(count("jeton.tokens.issued", "kind", "session")).isEqualTo(3);
            assertThat(count("jeton.tokens.issued", "kind", "access_only")).isEqualTo(1);
            assertThat(count("jeton.tokens.validations", "outcome", "valid", "reason", "none")).isEqualTo(1);
            assertThat(count("jeton.tokens.validations", "outcome", "invalid", "reason", "expired")).isEqualTo(1);
            assertThat(count("jeton.tokens.refreshes", "outcome", "rotated")).isEqualTo(1);
            assertThat(count("jeton.tokens.refreshes", "outcome", "failed", "error", "invalid_grant", "reason",
                    "reused")).isEqualTo(1);
            assertThat(count("jeton.tokens.reuse.detected")).isEqualTo(1);
            assertThat(count("jeton.tokens.revocations", "kind", "session", "reason", "reuse_detected")).isEqualTo(1);
            assertThat(count("jeton.tokens.revocations", "kind", "session", "reason", "logout")).isEqualTo(1);
            assertThat(count("jeton.tokens.revocations", "kind", "access_token")).isEqualTo(1);
            assertThat(next.refreshToken()).isPresent();
        }

        @Test
        void everyMeterIsThereAtZeroBeforeTheFirstEvent() {
            assertThat(count("jeton.tokens.validations", "outcome", "invalid", "reason", "bad_signature")).isZero();
            assertThat(count("jeton.tokens.refreshes", "outcome", "grace_replay")).isZero();
            assertThat(count("jeton.tokens.refreshes", "outcome", "failed", "error", "invalid_scope")).isZero();
            assertThat(count("jeton.tokens.reuse.detected")).isZero();
            assertThat(timerCount("jeton.jwks.fetches", "outcome", "failure")).isZero();
        }

        @Test
        void anUnusualRefreshErrorGetsItsOwnCounter() {
            metrics.onEvent(new TokenEvent.RefreshFailed(Instant.EPOCH, "temporarily_unavailable",
                    java.util.Optional.empty()));

            assertThat(count("jeton.tokens.refreshes", "outcome", "failed", "error", "temporarily_unavailable",
                    "reason", "none")).isEqualTo(1);
        }

        @Test
        void jwksFetchesAreTimedByOutcome() {
            metrics.onEvent(new TokenEvent.JwksFetched(Instant.EPOCH, "https://issuer.test/jwks", true, 2,
                    Duration.ofMillis(40)));
            metrics.onEvent(new TokenEvent.JwksFetched(Instant.EPOCH, "https://issuer.test/jwks", false, 0,
                    Duration.ofMillis(5000)));

            assertThat(registry.get("jeton.jwks.fetches").tag("outcome", "success").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(40);
            assertThat(registry.get("jeton.jwks.fetches").tag("outcome", "failure").timer()
                    .totalTime(TimeUnit.MILLISECONDS)).isEqualTo(5000);
        }

        @Test
        void commonTagsGoOnEveryMeter() {
            SimpleMeterRegistry tagged = new SimpleMeterRegistry();
            new JetonMetrics(tagged, Tags.of("service", "auth")).instrument(new InMemoryTokenStore());

            assertThat(tagged.getMeters()).isNotEmpty().allSatisfy(meter ->
                    assertThat(meter.getId().getTag("service")).isEqualTo("auth"));
        }
    }

    @Nested
    @DisplayName("No tag names a token, a subject, a client or a session")
    class Cardinality {

        @Test
        void tagValuesComeFromFixedVocabulariesOnly() {
            TokenService tokens = service(new InMemoryTokenStore());
            List<String> secrets = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TokenPair pair = tokens.issue(IssueRequest.forSubject("user-" + i).client("client-" + i).build());
                tokens.validate(pair.accessToken());
                TokenPair next = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow())
                        .client("client-" + i).build());
                secrets.addAll(List.of(pair.accessToken(), pair.refreshToken().orElseThrow(), pair.accessTokenId(),
                        pair.sessionId().orElseThrow(), next.accessToken(), next.refreshToken().orElseThrow(),
                        "user-" + i, "client-" + i));
            }
            int meters = registry.getMeters().size();
            for (int i = 5; i < 10; i++) {
                tokens.issue(IssueRequest.forSubject("user-" + i).client("client-" + i).build());
            }

            assertThat(registry.getMeters()).as("more users make no more time series").hasSize(meters);
            for (Meter meter : registry.getMeters()) {
                for (Tag tag : meter.getId().getTags()) {
                    assertThat(tag.getValue()).matches("[a-z_]+");
                    assertThat(secrets).doesNotContain(tag.getValue());
                }
            }
        }
    }

    @Nested
    @DisplayName("The store decorator times each operation and changes nothing")
    class Store {

        @Test
        void operationsAreTimedBySuccess() {
            TokenService tokens = service(new InMemoryTokenStore());
            TokenPair login = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
            tokens.refresh(RefreshRequest.of(login.refreshToken().orElseThrow()).client("web").build());
            tokens.purgeExpired();

            assertThat(timerCount("jeton.store.operations", "operation", "create_family", "outcome", "success"))
                    .isEqualTo(1);
            assertThat(timerCount("jeton.store.operations", "operation", "rotate", "outcome", "success"))
                    .isEqualTo(1);
            assertThat(timerCount("jeton.store.operations", "operation", "purge_expired", "outcome", "success"))
                    .isEqualTo(1);
            assertThat(timerCount("jeton.store.operations", "operation", "rotate", "outcome", "failure")).isZero();
        }

        @Test
        void aFailingOperationIsTimedAsAFailureAndItsExceptionPassesThrough() {
            TokenStoreException down = new TokenStoreException("database down", null);
            TokenStore failing = (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(),
                    new Class<?>[] {TokenStore.class}, (proxy, method, args) -> {
                        throw down;
                    });
            TokenService tokens = service(failing);

            assertThatThrownBy(() -> tokens.issue(IssueRequest.forSubject("alice").client("web").build()))
                    .isSameAs(down);
            assertThat(timerCount("jeton.store.operations", "operation", "create_family", "outcome", "failure"))
                    .isEqualTo(1);
            assertThat(count("jeton.tokens.issued", "kind", "session")).isZero();
        }
    }

    @Nested
    @DisplayName("A purge schedule is observable")
    class Purge {

        @Test
        void runsRowsAndConsecutiveFailuresAreExposed() {
            TokenService tokens = service(new InMemoryTokenStore());
            PurgeScheduler scheduler = metrics.monitor(tokens.schedulePurge(Duration.ofHours(1)));
            scheduler.close();

            assertThat(registry.get("jeton.purge.runs").tag("outcome", "success").functionCounter().count())
                    .isEqualTo(scheduler.successfulRuns());
            assertThat(registry.get("jeton.purge.runs").tag("outcome", "failure").functionCounter().count())
                    .isEqualTo(scheduler.failedRuns());
            assertThat(registry.get("jeton.purge.rows").functionCounter().count())
                    .isEqualTo(scheduler.rowsPurged());
            assertThat(registry.get("jeton.purge.consecutive.failures").gauge().value()).isZero();
        }
    }

    @Test
    void aCompositeFeedsMetricsBesideAnotherListener() {
        List<TokenEvent> audit = new ArrayList<>();
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock)
                .eventListener(TokenEventListener.composite(audit::add, metrics)).build();

        tokens.issue(IssueRequest.forSubject("alice").client("web").build());

        assertThat(audit).singleElement().isInstanceOf(TokenEvent.Issued.class);
        assertThat(count("jeton.tokens.issued", "kind", "access_only")).isEqualTo(1);
    }
}
