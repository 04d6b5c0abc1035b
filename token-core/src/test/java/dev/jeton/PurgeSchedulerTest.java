package dev.jeton;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.CapturedLog;
import dev.jeton.testing.TestClock;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class PurgeSchedulerTest {

    private static final Duration HOUR = Duration.ofHours(1);

    private final TestClock clock = TestClock.fixed();

    /** Throws a store failure on the calls named (1-based), and otherwise purges {@code rows} rows. */
    private static IntSupplier purgeFailingOn(int rows, int... failingCalls) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            int call = calls.incrementAndGet();
            for (int failing : failingCalls) {
                if (call == failing) {
                    throw new TokenStoreException("store unavailable",
                            new SQLTransientConnectionException("connection refused"));
                }
            }
            return rows;
        };
    }

    @Test
    void failedRunIsLoggedAsAWarningAndTheNextRunPurges() {
        PurgeScheduler purging = new PurgeScheduler(purgeFailingOn(3, 1), clock, HOUR);
        List<String> warnings;
        try (CapturedLog log = CapturedLog.start()) {
            purging.runOnce();
            warnings = log.warnings(PurgeScheduler.class);
        }

        assertThat(warnings).singleElement().satisfies(w -> assertThat(w)
                .contains("Purging expired tokens failed (1 in a row); the next run starts in PT1H"));
        assertThat(purging.consecutiveFailures()).isEqualTo(1);
        assertThat(purging.failedRuns()).isEqualTo(1);
        assertThat(purging.lastFailure()).contains(clock.instant());
        assertThat(purging.lastSuccess()).isEmpty();

        clock.advance(HOUR);
        purging.runOnce();

        assertThat(purging.consecutiveFailures()).isZero();
        assertThat(purging.successfulRuns()).isEqualTo(1);
        assertThat(purging.rowsPurged()).isEqualTo(3);
        assertThat(purging.lastSuccess()).contains(clock.instant());
        assertThat(purging.lastFailure()).contains(clock.instant().minus(HOUR));
    }

    @Test
    void consecutiveFailuresCountUpAndResetOnSuccess() {
        PurgeScheduler purging = new PurgeScheduler(purgeFailingOn(2, 1, 2, 4), clock, HOUR);

        purging.runOnce();
        purging.runOnce();
        assertThat(purging.consecutiveFailures()).isEqualTo(2);
        purging.runOnce();
        purging.runOnce();

        assertThat(purging.consecutiveFailures()).isEqualTo(1);
        assertThat(purging.failedRuns()).isEqualTo(3);
        assertThat(purging.successfulRuns()).isEqualTo(1);
        assertThat(purging.rowsPurged()).isEqualTo(2);
    }

    @Test
    void anErrorInARunDoesNotEndTheScheduleEither() {
        AtomicInteger calls = new AtomicInteger();
        PurgeScheduler purging = new PurgeScheduler(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new NoClassDefFoundError("org/example/Driver");
            }
            return 1;
        }, clock, HOUR);

        purging.runOnce();
        purging.runOnce();

        assertThat(purging.failedRuns()).isEqualTo(1);
        assertThat(purging.rowsPurged()).isEqualTo(1);
    }

    @Test
    void scheduledRunsGoOnAfterAFailedRunOnADaemonThreadUntilClosed() throws Exception {
        CountDownLatch threeRuns = new CountDownLatch(3);
        AtomicReference<Thread> runner = new AtomicReference<>();
        IntSupplier failingFirst = purgeFailingOn(5, 1);
        PurgeScheduler purging = PurgeScheduler.start(() -> {
            runner.set(Thread.currentThread());
            threeRuns.countDown();
            return failingFirst.getAsInt();
        }, clock, Duration.ofMillis(1));
        try {
            assertThat(threeRuns.await(10, TimeUnit.SECONDS)).as("three runs, the first of them failed").isTrue();
        } finally {
            purging.close();
        }

        assertThat(purging.failedRuns()).isEqualTo(1);
        assertThat(purging.successfulRuns()).isGreaterThanOrEqualTo(2);
        assertThat(purging.rowsPurged()).isEqualTo(5 * purging.successfulRuns());
        assertThat(runner.get().getName()).isEqualTo("jeton-purge");
        assertThat(runner.get().isDaemon()).isTrue();
        runner.get().join(TimeUnit.SECONDS.toMillis(10));
        assertThat(runner.get().isAlive()).as("the purge thread ends on close").isFalse();
        long runsAtClose = purging.successfulRuns() + purging.failedRuns();
        purging.close();
        assertThat(purging.successfulRuns() + purging.failedRuns()).isEqualTo(runsAtClose);
    }

    @Test
    void serviceSchedulesItsOwnPurgeAndChecksTheInterval() {
        TokenService withoutStore = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.ES256))).clock(clock).build();

        assertThatThrownBy(() -> withoutStore.schedulePurge(HOUR))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("schedulePurge needs a token store");
        assertThatThrownBy(() -> new PurgeScheduler(() -> 0, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("purge interval must be positive, got PT0S");
        assertThatThrownBy(() -> new PurgeScheduler(() -> 0, clock, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
