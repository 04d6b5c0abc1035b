package dev.jeton.store.redis;

import dev.jeton.store.TokenStore;
import dev.jeton.store.tck.TokenStoreContract;
import dev.jeton.testing.TestClock;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The contract kit on a Redis Cluster of 3 primaries and 3 replicas, started for this class. */
class RedisClusterTokenStoreIT extends TokenStoreContract {

    private static TestCluster cluster;
    private static StatefulRedisClusterConnection<String, String> connection;
    private String prefix;

    @BeforeAll
    static void startCluster() {
        cluster = TestCluster.start();
        connection = cluster.connect();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected TokenStore createStore(TestClock clock) {
        prefix = TestRedis.uniquePrefix();
        return RedisTokenStore.builder(connection).keyPrefix(prefix).build();
    }

    @Override
    protected long recordCount(TokenStore store) {
        return TestRedis.recordCount(connection.sync(), prefix);
    }

    @Override
    protected Stream<Object> storedValues(TokenStore store) {
        return TestRedis.values(connection.sync(), prefix).stream();
    }

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            TestRedis.deleteKeys(connection.sync(), prefix);
        }
    }
}
