package dev.jeton.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.KeyException;
import dev.jeton.internal.Json;
import dev.jeton.key.RotatingKeyProvider.KeyState;
import dev.jeton.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RotatingKeyProviderTest {

    private static final Duration RETIREMENT = Duration.ofMinutes(30);

    private final TestClock clock = TestClock.fixed();
    private final JwtKey first = JwtKey.generate("first", JwsAlgorithm.ES256);
    private final JwtKey second = JwtKey.generate("second", JwsAlgorithm.ES256);
    private final RotatingKeyProvider keys = RotatingKeyProvider.builder(first)
            .clock(clock)
            .retirement(RETIREMENT)
            .build();

    @SuppressWarnings("unchecked")
    private static List<String> publishedKids(KeyProvider provider) {
        Map<String, Object> set = Json.parseObject(provider.jwksJson().getBytes(StandardCharsets.UTF_8));
        return ((List<Map<String, Object>>) set.get("keys")).stream().map(k -> (String) k.get("kid")).toList();
    }

    @Test
    void initialKeyIsActiveAndSigns() {
        assertThat(keys.signingKey()).isSameAs(first);
        assertThat(keys.state("first")).contains(KeyState.ACTIVE);
        assertThat(keys.verificationKeys()).containsExactly(first);
    }

    @Test
    void nextKeyIsPublishedAndVerifiesButDoesNotSign() {
        keys.addNext(second);

        assertThat(keys.state("second")).contains(KeyState.NEXT);
        assertThat(keys.signingKey()).isSameAs(first);
        assertThat(keys.verificationKey("second")).containsSame(second);
        assertThat(keys.verificationKeys()).containsExactly(first, second);
        assertThat(publishedKids(keys)).containsExactly("first", "second");
    }

    @Test
    void activatingNextKeyMakesItSignAndRetiresTheOldOne() {
        keys.addNext(second);

        keys.activate("second");

        assertThat(keys.signingKey()).isSameAs(second);
        assertThat(keys.state("second")).contains(KeyState.ACTIVE);
        assertThat(keys.state("first")).contains(KeyState.RETIRED);
        assertThat(keys.verificationKeys()).containsExactly(second, first);
        assertThat(publishedKids(keys)).containsExactly("second", "first");
    }

    @Test
    void retiredKeyVerifiesUntilItsDeadlineAndNotAfter() {
        keys.addNext(second);
        clock.advance(Duration.ofMinutes(7));
        keys.activate("second");

        clock.advance(RETIREMENT.minusNanos(1));
        assertThat(keys.verificationKey("first")).containsSame(first);
        assertThat(keys.state("first")).contains(KeyState.RETIRED);

        clock.advance(Duration.ofNanos(1));
        assertThat(keys.verificationKey("first")).isEmpty();
        assertThat(keys.state("first")).isEmpty();
        assertThat(keys.verificationKeys()).containsExactly(second);
        assertThat(publishedKids(keys)).containsExactly("second");
    }

    @Test
    void retirementDefaultsToOneHour() {
        RotatingKeyProvider provider = RotatingKeyProvider.builder(first).clock(clock).build();
        provider.addNext(second);
        provider.activate("second");

        clock.advance(Duration.ofMinutes(59));
        assertThat(provider.verificationKey("first")).isPresent();
        clock.advance(Duration.ofMinutes(1));
        assertThat(provider.verificationKey("first")).isEmpty();
    }

    @Test
    void kidOfAnExpiredRetiredKeyCanBeReused() {
        keys.addNext(second);
        keys.activate("second");
        clock.advance(RETIREMENT);
        JwtKey reused = JwtKey.generate("first", JwsAlgorithm.ES256);

        keys.addNext(reused);

        assertThat(keys.verificationKey("first")).containsSame(reused);
        assertThat(keys.state("first")).contains(KeyState.NEXT);
    }

    @Test
    void activatingTheActiveKeyAgainChangesNothing() {
        keys.activate("first");

        assertThat(keys.signingKey()).isSameAs(first);
        assertThat(keys.verificationKeys()).containsExactly(first);
    }

    @Test
    void activatingUnknownKidIsRefused() {
        assertThatThrownBy(() -> keys.activate("nope"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no key with kid 'nope'; addNext it first");
    }

    @Test
    void activatingRetiredKeyIsRefused() {
        keys.addNext(second);
        keys.activate("second");

        assertThatThrownBy(() -> keys.activate("first"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("key 'first' is RETIRED; only a NEXT key can be activated, add a new key instead");
        assertThat(keys.signingKey()).isSameAs(second);
    }

    @Test
    void addingDuplicateKidIsRefused() {
        JwtKey duplicate = JwtKey.generate("first", JwsAlgorithm.ES256);

        assertThatThrownBy(() -> keys.addNext(duplicate))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a key with kid 'first' is already present; give each key its own kid");
    }

    @Test
    void addingPublicKeyIsRefusedBecauseItCouldNeverSign() {
        JwtKey publicOnly = JwtKey.ofPublicKey("pub", JwsAlgorithm.ES256,
                (PublicKey) second.verificationKey());

        assertThatThrownBy(() -> keys.addNext(publicOnly))
                .isInstanceOf(KeyException.class)
                .hasMessageStartingWith("key 'pub' is a public key and cannot sign");
        assertThatThrownBy(() -> RotatingKeyProvider.builder(publicOnly))
                .isInstanceOf(KeyException.class);
    }

    @Test
    void removingRetiredKeyStopsItVerifyingAtOnce() {
        keys.addNext(second);
        keys.activate("second");

        assertThat(keys.remove("first")).isTrue();

        assertThat(keys.verificationKey("first")).isEmpty();
        assertThat(keys.state("first")).isEmpty();
        assertThat(keys.remove("first")).isFalse();
    }

    @Test
    void removingNextKeyUnpublishesIt() {
        keys.addNext(second);

        assertThat(keys.remove("second")).isTrue();

        assertThat(publishedKids(keys)).containsExactly("first");
    }

    @Test
    void removingActiveKeyIsRefused() {
        assertThatThrownBy(() -> keys.remove("first"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("key 'first' is the active key and cannot be removed; activate another key first");
        assertThat(keys.signingKey()).isSameAs(first);
    }

    @Test
    void hmacKeysRotateButAreNeverPublished() {
        JwtKey hmac1 = JwtKey.generate("h1", JwsAlgorithm.HS256);
        JwtKey hmac2 = JwtKey.generate("h2", JwsAlgorithm.HS256);
        RotatingKeyProvider provider = RotatingKeyProvider.builder(hmac1).clock(clock).build();
        provider.addNext(hmac2);
        provider.addNext(second);
        provider.activate("h2");

        assertThat(provider.verificationKeys()).containsExactly(hmac2, second, hmac1);
        assertThat(publishedKids(provider)).containsExactly("second");
    }

    @Test
    void builderRefusesNonPositiveRetirementAndSecondSettings() {
        RotatingKeyProvider.Builder builder = RotatingKeyProvider.builder(first);

        assertThatThrownBy(() -> builder.retirement(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retirement must be positive, got PT0S");
        assertThatThrownBy(() -> builder.retirement(Duration.ofMinutes(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        builder.retirement(Duration.ofMinutes(5)).clock(clock);
        assertThatThrownBy(() -> builder.retirement(Duration.ofMinutes(6)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("retirement was already set to PT5M");
        assertThatThrownBy(() -> builder.clock(clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("clock was already set to");
    }

    @Test
    void readersSeeEitherTheOldOrTheNewActiveKeyDuringRotations() throws Exception {
        int rotations = 200;
        List<JwtKey> generated = new ArrayList<>();
        for (int i = 0; i < rotations; i++) {
            generated.add(JwtKey.generate("k" + i, JwsAlgorithm.HS256));
        }
        RotatingKeyProvider provider = RotatingKeyProvider.builder(JwtKey.generate("k-start", JwsAlgorithm.HS256))
                .clock(clock).build();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                results.add(readers.submit(() -> {
                    start.await();
                    int checks = 0;
                    for (int i = 0; i < 5_000; i++) {
                        JwtKey signing = provider.signingKey();
                        // The key that signs always verifies, even if a rotation happens in between.
                        assertThat(provider.verificationKey(signing.kid())).containsSame(signing);
                        checks++;
                    }
                    return checks;
                }));
            }
            start.countDown();
            for (JwtKey key : generated) {
                provider.addNext(key);
                provider.activate(key.kid());
            }
            for (Future<Integer> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(5_000);
            }
        } finally {
            readers.shutdownNow();
        }
        assertThat(provider.signingKey().kid()).isEqualTo("k" + (rotations - 1));
        assertThat(provider.verificationKeys()).hasSize(rotations + 1);
    }
}
