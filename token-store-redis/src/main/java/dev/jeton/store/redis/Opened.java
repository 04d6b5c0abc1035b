package dev.jeton.store.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.function.Function;

/**
 * A connection a {@link RedisTokenStore.Builder} got hold of (to one server or to a cluster), and what closing the
 * store must close.
 */
record Opened(Object connection, AutoCloseable owned) {

    /** A connection of a client the store made: closing the store closes both; a failed connect shuts it down. */
    static <C extends AbstractRedisClient> Opened owning(C client,
                                                         Function<C, StatefulConnection<String, String>> connect) {
        try {
            StatefulConnection<String, String> connection = connect.apply(client);
            return new Opened(connection, () -> {
                connection.close();
                client.shutdown();
            });
        } catch (RuntimeException e) {
            client.shutdown();
            throw e;
        }
    }

    /** Talks to Redis over this connection, waiting for {@code replicas} (0: none) after each write. */
    @SuppressWarnings("unchecked")
    Redis redis(int replicas, Duration replicaTimeout) {
        if (connection instanceof StatefulRedisClusterConnection<?, ?> cluster) {
            return Redis.cluster((StatefulRedisClusterConnection<String, String>) cluster, replicas, replicaTimeout);
        }
        StatefulRedisConnection<String, String> single = (StatefulRedisConnection<String, String>) connection;
        return Redis.standalone(single.async(), single.getTimeout(), replicas, replicaTimeout);
    }
}
