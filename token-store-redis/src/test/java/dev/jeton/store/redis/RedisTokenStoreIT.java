package dev.jeton.store.redis;

import dev.jeton.store.TokenStore;
import dev.jeton.store.tck.TokenStoreContract;
import dev.jeton.testing.TestClock;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;

/** The contract kit on the local standalone Redis. */
class RedisTokenStoreIT extends TokenStoreContract {

    private String prefix;

    @Override
    protected TokenStore createStore(TestClock clock) {
        prefix = TestRedis.uniquePrefix();
        return RedisTokenStore.builder(TestRedis.standalone()).keyPrefix(prefix).build();
    }

    @Override
    protected long recordCount(TokenStore store) {
        return TestRedis.recordCount(TestRedis.standalone().sync(), prefix);
    }

    @Override
    protected Stream<Object> storedValues(TokenStore store) {
        return TestRedis.values(TestRedis.standalone().sync(), prefix).stream();
    }

    @AfterEach
    void deleteKeys() {
        if (prefix != null) {
            TestRedis.deleteKeys(TestRedis.standalone().sync(), prefix);
        }
    }
}
