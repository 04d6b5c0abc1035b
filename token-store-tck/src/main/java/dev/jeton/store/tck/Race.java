package dev.jeton.store.tck;

import dev.jeton.InvalidGrantException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs one task on several threads released together by a latch, so that they hit a store at the same moment, and
 * collects what each ended with. Nothing sleeps: the threads wait on the latch until all are ready. Thread-safe; each
 * call uses its own threads and shuts them down before returning.
 *
 * <pre>{@code
 * List<Race.Outcome<TokenPair>> outcomes = Race.run(8, i -> tokens.refresh(request));
 * }</pre>
 */
public final class Race {

    private static final long READY_SECONDS = 30;
    private static final long DONE_SECONDS = 120;

    private Race() {
    }

    /**
     * What one thread's task ended with: a value, or the {@link InvalidGrantException} it threw.
     *
     * @param value what the task returned, when it returned
     * @param failure the grant error it threw, when it threw one
     * @param <T> the task's result
     */
    public record Outcome<T>(T value, InvalidGrantException failure) {

        /** Whether the task returned. */
        public boolean succeeded() {
            return failure == null;
        }

        /**
         * The reason of the grant error the task threw.
         *
         * @throws AssertionError if the task returned
         */
        public InvalidGrantException.Reason grantReason() {
            if (failure == null) {
                throw new AssertionError("expected an InvalidGrantException, the task returned " + value);
            }
            return failure.reason();
        }
    }

    /**
     * Runs {@code task} on {@code threads} threads released together, with the thread's index (0 to
     * {@code threads - 1}), and returns each thread's outcome in index order.
     *
     * @throws IllegalArgumentException if {@code threads} is less than 2
     * @throws AssertionError if a task throws anything but an {@link InvalidGrantException} (with it as the cause), or
     *     the threads do not start within 30 seconds or finish within 120
     */
    public static <T> List<Outcome<T>> run(int threads, IntFunction<T> task) {
        Objects.requireNonNull(task, "task");
        if (threads < 2) {
            throw new IllegalArgumentException("a race needs at least 2 threads, got " + threads);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome<T>>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return new Outcome<>(task.apply(index), null);
                    } catch (InvalidGrantException e) {
                        return new Outcome<T>(null, e);
                    }
                }));
            }
            if (!ready.await(READY_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("the racing threads did not start within " + READY_SECONDS + " s");
            }
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>(threads);
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get(DONE_SECONDS, TimeUnit.SECONDS));
            }
            return outcomes;
        } catch (ExecutionException e) {
            throw new AssertionError("a racing task failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the racing threads did not finish within " + DONE_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while racing", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
