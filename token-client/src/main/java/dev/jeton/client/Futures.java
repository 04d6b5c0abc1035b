package dev.jeton.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How the synchronous methods of the clients wait for their asynchronous work. */
final class Futures {

    private Futures() {
    }

    /** The future's value; its failure rethrown as it is, unchecked; on interruption, the future cancelled. */
    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    /** A stage's failure as the unchecked exception to throw; an {@link Error} is thrown here. */
    static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("every stage fails with an unchecked exception", cause);
    }

    /** The failure a stage reports: a {@link CompletionException}'s cause. */
    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
