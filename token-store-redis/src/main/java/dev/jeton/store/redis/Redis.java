package dev.jeton.store.redis;

import dev.jeton.TokenStoreException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the store talks to Redis: scripts by {@code EVALSHA} with {@code EVAL} when the server answers
 * {@code NOSCRIPT}; a short retry of answers that say the command did not run (a slot being migrated, a cluster
 * electing a master, a server loading its data); one more run of a step whose answer was lost, which every script
 * recognises as already applied; and the optional {@code WAIT} for replicas. Thread-safe: Lettuce connections are.
 */
final class Redis {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);
    /** Tries of a command whose answer says it did not run; about a second in all with the backoff below. */
    private static final int NOT_RUN_ATTEMPTS = 40;

    final RedisClusterAsyncCommands<String, String> async;
    private final Function<String, RedisClusterAsyncCommands<String, String>> primaryOf;
    private final long timeoutMillis;
    private final int replicas;
    private final long replicaTimeoutMillis;
    private final AtomicLong unconfirmed = new AtomicLong();

    private Redis(RedisClusterAsyncCommands<String, String> async,
                  Function<String, RedisClusterAsyncCommands<String, String>> primaryOf, Duration timeout,
                  int replicas, Duration replicaTimeout) {
        this.async = async;
        this.primaryOf = primaryOf;
        this.timeoutMillis = timeout.toMillis() + 1_000;
        this.replicas = replicas;
        this.replicaTimeoutMillis = replicaTimeout.toMillis();
    }

    /** On one server: {@code WAIT} goes over the shared connection, which carried the write. */
    static Redis standalone(RedisClusterAsyncCommands<String, String> async, Duration timeout, int replicas,
                            Duration replicaTimeout) {
        return new Redis(async, key -> async, timeout, replicas, replicaTimeout);
    }

    /**
     * On a cluster: {@code WAIT} goes to the primary that holds the key's slot, over the connection Lettuce routes the
     * slot's writes through (it keys them by host and port, as below).
     */
    static Redis cluster(StatefulRedisClusterConnection<String, String> connection, int replicas,
                         Duration replicaTimeout) {
        return new Redis(connection.async(), key -> {
            RedisClusterNode primary = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
            if (primary == null) {
                throw new TokenStoreException("no primary serves the slot of " + key, null);
            }
            RedisURI uri = primary.getUri();
            return connection.async().getConnection(uri.getHost(), uri.getPort());
        }, connection.getTimeout(), replicas, replicaTimeout);
    }

    /**
     * Runs a step's script and returns its answer.
     *
     * @throws TokenStoreException if Redis fails or refuses it; nothing changed unless the message says the outcome
     *     is unknown
     */
    List<Object> run(Script script, String what, String[] keys, String... args) {
        try {
            return untilRun(() -> evaluate(script, keys, args), what);
        } catch (Lost e) {
            // Every script recognises its own step already applied, so running it again settles the outcome.
            LOG.info("{}: the answer from Redis was lost ({}); running the step again", what, e.getCause().toString());
        }
        try {
            return untilRun(() -> evaluate(script, keys, args), what);
        } catch (Lost e) {
            throw new TokenStoreException(what + ": the answer from Redis was lost twice (" + e.getCause()
                    + "); the outcome is unknown", e.getCause());
        }
    }

    /** Sends what {@code send} sends again while the answer says it was not run, up to about a second. */
    private <T> T untilRun(Supplier<T> send, String what) {
        for (int attempt = 1; ; attempt++) {
            try {
                return send.get();
            } catch (RedisCommandExecutionException e) {
                if (notRun(e) && attempt < NOT_RUN_ATTEMPTS) {
                    backOff(attempt);
                    continue;
                }
                throw refused(what, e);
            }
        }
    }

    private List<Object> evaluate(Script script, String[] keys, String[] args) {
        try {
            return await(async.evalsha(script.sha, ScriptOutputType.MULTI, keys, args));
        } catch (RedisNoScriptException e) {
            // This server has not seen the script yet (a new primary, a restart, SCRIPT FLUSH): EVAL also caches it.
            return await(async.eval(script.body, ScriptOutputType.MULTI, keys, args));
        }
    }

    /** Waits for a command's answer. */
    <T> T await(RedisFuture<T> future) {
        try {
            return future.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RedisCommandExecutionException refused) {
                throw refused;
            }
            if (cause instanceof RedisCommandTimeoutException || cause instanceof RedisConnectionException
                    || cause instanceof RedisException) {
                throw new Lost(cause);
            }
            throw new TokenStoreException("Redis failed: " + cause, cause);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new Lost(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenStoreException("interrupted while waiting for Redis", e);
        }
    }

    /**
     * A read, sent again (as {@code send} makes it) while the answer says it was not run.
     *
     * @throws TokenStoreException if Redis fails
     */
    <T> T read(Supplier<RedisFuture<T>> send, String what) {
        try {
            return untilRun(() -> await(send.get()), what);
        } catch (Lost e) {
            throw new TokenStoreException(what + ": Redis did not answer (" + e.getCause() + ")", e.getCause());
        }
    }

    /**
     * The answer to a read already sent (one of several sent together).
     *
     * @throws TokenStoreException if Redis fails
     */
    <T> T read(RedisFuture<T> sent, Supplier<RedisFuture<T>> again, String what) {
        try {
            return await(sent);
        } catch (RedisCommandExecutionException e) {
            if (notRun(e)) {
                return read(again, what);
            }
            throw refused(what, e);
        } catch (Lost e) {
            throw new TokenStoreException(what + ": Redis did not answer (" + e.getCause() + ")", e.getCause());
        }
    }

    /** An answer saying the command was not run, so that running it again is safe and may succeed. */
    static boolean notRun(RedisCommandExecutionException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("TRYAGAIN") || message.startsWith("CLUSTERDOWN") || message.startsWith("LOADING")
                || message.startsWith("MASTERDOWN") || message.startsWith("READONLY");
    }

    /** Whether a failure is about what a key holds (the record is malformed, or Redis refused it for its type). */
    static boolean isMalformed(TokenStoreException e) {
        return e.getCause() == null
                || e.getCause() instanceof RedisCommandExecutionException refused && !notRun(refused);
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(Math.min(50, attempt * 2L) + ThreadLocalRandom.current().nextInt(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenStoreException("interrupted while retrying a Redis command", e);
        }
    }

    static TokenStoreException refused(String what, RedisCommandExecutionException e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf(" script: ");
        return new TokenStoreException(what + ": Redis refused it: " + (end > 0 ? message.substring(0, end) : message)
                + "; nothing was changed", e);
    }

    /**
     * With {@code waitForReplicas}: waits until that many replicas of the primary holding {@code key} have what this
     * connection wrote there, or the timeout passes. The step stands either way; a shortfall is logged and counted.
     */
    void replicate(String key, String what) {
        if (replicas == 0) {
            return;
        }
        long confirmed;
        try {
            confirmed = await(primaryOf.apply(key).waitForReplication(replicas, replicaTimeoutMillis));
        } catch (RedisException | Lost | TokenStoreException e) {
            unconfirmed.incrementAndGet();
            LOG.warn("{}: WAIT for {} replicas failed ({}); the step stands", what, replicas, e.toString());
            return;
        }
        if (confirmed < replicas) {
            unconfirmed.incrementAndGet();
            LOG.warn("{}: {} of {} replicas confirmed within {} ms; the step stands", what, confirmed, replicas,
                    replicaTimeoutMillis);
        }
    }

    long unconfirmedWrites() {
        return unconfirmed.get();
    }

    /** The answer to a command may have been lost after it was sent: it may or may not have run. */
    static final class Lost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Lost(Throwable cause) {
            super(cause);
        }
    }
}
