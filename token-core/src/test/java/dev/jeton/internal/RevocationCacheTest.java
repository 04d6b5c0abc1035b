package dev.jeton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.store.RevocationStatus;
import dev.jeton.store.TokenStore;
import dev.jeton.testing.TestClock;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RevocationCacheTest {

    private static final Duration TTL = Duration.ofSeconds(5);
    private static final String FAMILY = "fam-1";
    private static final String JTI = "jti-1";

    private final TestClock clock = TestClock.fixed();
    private final LookupStore store = new LookupStore();
    private final RevocationCache cache = new RevocationCache(store.asStore(), TTL.toMillis());
    private final ExecutorService validator = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopValidator() {
        store.release();
        validator.shutdownNow();
    }

    @Test
    void revokedAnswerWinsOverFamilyLookupInFlight() throws Exception {
        store.addFamily(FAMILY);
        store.pauseLookups();
        Future<Boolean> inFlight = validator.submit(() -> cache.isFamilyRevoked(FAMILY, clock.instant()));
        store.awaitPausedLookup();

        store.revokeFamily(FAMILY, clock.instant());
        cache.familyRevoked(FAMILY);
        store.release();

        assertThat(inFlight.get(10, TimeUnit.SECONDS)).as("the lookup read the store before the revocation").isFalse();
        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isTrue();
        assertThat(store.lookups).hasValue(1);
    }

    @Test
    void revokedAnswerWinsOverAccessTokenLookupInFlight() throws Exception {
        store.pauseLookups();
        Future<Boolean> inFlight = validator.submit(() -> cache.isAccessTokenRevoked(JTI, clock.instant()));
        store.awaitPausedLookup();

        store.denyJti(JTI);
        cache.accessTokenRevoked(JTI);
        store.release();

        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(cache.isAccessTokenRevoked(JTI, clock.instant())).isTrue();
        assertThat(store.lookups).hasValue(1);
    }

    @Test
    void staleNotRevokedAnswerNeverReplacesARevokedAnswerAnotherLookupFound() throws Exception {
        store.addFamily(FAMILY);
        store.pauseLookups();
        Future<Boolean> inFlight = validator.submit(() -> cache.isFamilyRevoked(FAMILY, clock.instant()));
        store.awaitPausedLookup();
        // Revoked by another instance: nothing is recorded here, a second lookup finds it in the store.
        store.revokeFamily(FAMILY, clock.instant());
        store.stopPausing();
        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isTrue();

        store.release();

        assertThat(inFlight.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isTrue();
        assertThat(store.lookups).hasValue(2);
    }

    @Test
    void notRevokedAnswerIsKeptForTheTtlAndNoLonger() {
        store.addFamily(FAMILY);
        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isFalse();
        store.revokeFamily(FAMILY, clock.instant());

        clock.advance(TTL.minusMillis(1));
        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isTrue();
        assertThat(store.lookups).hasValue(2);
    }

    @Test
    void notRevokedAnswerDoesNotOutliveItsTtlWhenTheClockStepsBack() {
        Instant start = clock.instant();
        store.addFamily(FAMILY);
        assertThat(cache.isFamilyRevoked(FAMILY, start)).isFalse();
        store.revokeFamily(FAMILY, start);

        clock.set(start.minus(Duration.ofHours(1)));

        assertThat(cache.isFamilyRevoked(FAMILY, clock.instant())).isTrue();
        assertThat(store.lookups).hasValue(2);
    }

    @Test
    void answersAreCachedAgainAfterTheClockStepsBack() {
        Instant start = clock.instant();
        assertThat(cache.isAccessTokenRevoked(JTI, start)).isFalse();
        clock.set(start.minus(Duration.ofHours(1)));

        assertThat(cache.isAccessTokenRevoked(JTI, clock.instant())).isFalse();
        clock.advance(TTL.minusMillis(1));
        assertThat(cache.isAccessTokenRevoked(JTI, clock.instant())).isFalse();

        assertThat(store.lookups).as("one lookup before the step, one after it").hasValue(2);
    }

    /**
     * Families and denied jtis in maps, answering the two lookups the cache makes; any other store call fails. While
     * paused, a lookup reads its answer, then waits for {@link #release()} before returning it: a validation that
     * read the store just before a revocation.
     */
    private static final class LookupStore {
        final AtomicInteger lookups = new AtomicInteger();
        private final Map<String, Boolean> families = new ConcurrentHashMap<>();
        private final Set<String> deniedJtis = ConcurrentHashMap.newKeySet();
        private final CountDownLatch paused = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile boolean pausing;

        TokenStore asStore() {
            return (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(),
                    new Class<?>[] {TokenStore.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "revocationStatus" -> answer(new RevocationStatus(
                                ((Optional<?>) args[0]).map(id -> revokedOrGone((String) id)).orElse(false),
                                deniedJtis.contains((String) args[1])));
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        void addFamily(String id) {
            families.put(id, false);
        }

        boolean revokedOrGone(String id) {
            return families.getOrDefault(id, true);
        }

        void revokeFamily(String id, Instant at) {
            families.computeIfPresent(id, (key, revoked) -> true);
        }

        void denyJti(String jti) {
            deniedJtis.add(jti);
        }

        void pauseLookups() {
            pausing = true;
        }

        void stopPausing() {
            pausing = false;
        }

        void awaitPausedLookup() throws InterruptedException {
            assertThat(paused.await(10, TimeUnit.SECONDS)).as("a lookup reached the store").isTrue();
        }

        void release() {
            released.countDown();
        }

        private Object answer(Object value) throws InterruptedException {
            lookups.incrementAndGet();
            if (pausing) {
                paused.countDown();
                assertThat(released.await(10, TimeUnit.SECONDS)).isTrue();
            }
            return value;
        }
    }
}
