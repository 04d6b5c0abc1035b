package dev.jeton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link TokenService#purgeExpired()} on a schedule, on one daemon thread, and keeps going when a run fails.
 * Get one from {@link TokenService#schedulePurge(Duration)}, and close it when the application shuts down.
 *
 * <p>The first run starts at once; each next one starts the interval after the previous one ended, so runs never
 * overlap. A run that throws is logged at WARN (with the exception, whose message Jeton keeps free of tokens and
 * keys) and counted, and the next run goes ahead as planned. That is the difference from handing
 * {@code tokens::purgeExpired} to {@link ScheduledExecutorService#scheduleWithFixedDelay}, which never runs a task
 * again once it has thrown, without a word.
 *
 * <p>The counters ({@link #lastSuccess()}, {@link #consecutiveFailures()}, {@link #rowsPurged()}, …) are there for
 * health checks and metrics: a purge that has failed for hours is worth an alert. Instants come from the service's
 * clock; the schedule itself runs on real time.
 *
 * <p>Thread safety: every method may be called from any thread; {@link #close()} is idempotent.
 */
public final class PurgeScheduler implements AutoCloseable {

    /** How long {@link #close()} waits for a run in progress before interrupting it. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(PurgeScheduler.class);

    private final IntSupplier purge;
    private final Clock clock;
    private final Duration interval;
    private final ScheduledThreadPoolExecutor executor;
    private final AtomicBoolean closed = new AtomicBoolean();

    // Written only by runOnce, which is synchronized; volatile so the getters see the latest values.
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile int consecutiveFailures;
    private volatile long successfulRuns;
    private volatile long failedRuns;
    private volatile long rowsPurged;

    /** A scheduler that has not started: {@link #runOnce()} runs a purge by hand. */
    PurgeScheduler(IntSupplier purge, Clock clock, Duration interval) {
        this.purge = Objects.requireNonNull(purge, "purge");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("purge interval must be positive, got " + interval);
        }
        this.interval = interval;
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "jeton-purge");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts purging now and then every {@code interval} after each run ends. */
    static PurgeScheduler start(IntSupplier purge, Clock clock, Duration interval) {
        PurgeScheduler scheduler = new PurgeScheduler(purge, clock, interval);
        scheduler.executor.scheduleWithFixedDelay(scheduler::runOnce, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return scheduler;
    }

    /** One run: purges, records the outcome, and never throws, so that the executor keeps the schedule. */
    synchronized void runOnce() {
        try {
            int rows = purge.getAsInt();
            rowsPurged += rows;
            successfulRuns++;
            consecutiveFailures = 0;
            lastSuccess = clock.instant();
            LOG.debug("scheduled purge deleted {} rows", rows);
        } catch (RuntimeException | Error e) {
            // Errors too, as Spring's scheduler does: a run that met a missing driver class or ran out of memory
            // must not end the schedule for good.
            failedRuns++;
            consecutiveFailures++;
            lastFailure = clock.instant();
            LOG.warn("Purging expired tokens failed ({} in a row); the next run starts in {}", consecutiveFailures,
                    interval, e);
        }
    }

    /** When the last successful run ended, on the service's clock; empty if none has yet. */
    public Optional<Instant> lastSuccess() {
        return Optional.ofNullable(lastSuccess);
    }

    /** When the last failed run ended, on the service's clock; empty if none has failed. */
    public Optional<Instant> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** How many runs in a row have failed, up to now; zero after any successful run. */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** How many runs have succeeded since the start. */
    public long successfulRuns() {
        return successfulRuns;
    }

    /** How many runs have failed since the start. */
    public long failedRuns() {
        return failedRuns;
    }

    /** How many rows (sessions, tokens, denials) the successful runs deleted in all. */
    public long rowsPurged() {
        return rowsPurged;
    }

    /**
     * Stops the schedule: no run starts after this. A run in progress is waited for up to {@link #CLOSE_TIMEOUT},
     * then interrupted. Calling it again does nothing. If the calling thread is interrupted while waiting, the run is
     * interrupted and the thread's interrupt status is set again.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("A purge run was still going {} after close(); interrupting it", CLOSE_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "PurgeScheduler[every " + interval + (closed.get() ? ", closed" : "") + ", " + successfulRuns
                + " runs, " + failedRuns + " failed, " + rowsPurged + " rows]";
    }
}
