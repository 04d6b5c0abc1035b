package dev.jeton.store.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the tests run on: the local server (127.0.0.1:6379, or {@code JETON_REDIS_URL}). When it is unreachable
 * the tests are skipped with a message, except when {@code JETON_REQUIRE_RESOURCES=true}, where they fail loudly. Every test works under a
 * key prefix of its own and deletes its keys afterwards.
 */
final class TestRedis {

    static final String URI = System.getenv().getOrDefault("JETON_REDIS_URL", "redis://127.0.0.1:6379");

    private static StatefulRedisConnection<String, String> shared;

    private TestRedis() {
    }

    /** Skips the test (fails it when resources are required) with {@code message}. */
    static void unavailable(String message, Throwable cause) {
        if ("true".equals(System.getenv("JETON_REQUIRE_RESOURCES"))) {
            throw new AssertionError(message + "; JETON_REQUIRE_RESOURCES=true requires it (see .ci/run)", cause);
        }
        Assumptions.abort(message + "; skipping; set JETON_REQUIRE_RESOURCES=true to make this a failure");
    }

    /** One connection to the local Redis, shared by the tests of this JVM (it is thread-safe). */
    static synchronized StatefulRedisConnection<String, String> standalone() {
        if (shared == null) {
            RedisURI uri = RedisURI.create(URI);
            uri.setTimeout(Duration.ofSeconds(10));
            RedisClient client = RedisClient.create(uri);
            try {
                shared = client.connect();
                shared.sync().ping();
            } catch (RuntimeException e) {
                client.shutdown();
                unavailable("Redis is not reachable at " + URI + " (" + e + ")", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(client::shutdown));
        }
        return shared;
    }

    /** A key prefix no other test uses. */
    static String uniquePrefix() {
        return "jt" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    static List<String> keys(RedisClusterCommands<String, String> redis, String prefix) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1_000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    static void deleteKeys(RedisClusterCommands<String, String> redis, String prefix) {
        for (String key : keys(redis, prefix)) {
            redis.del(key);
        }
    }

    /** Families and denials, one each, plus every entry of the timelines and the subjects' indexes. */
    static long recordCount(RedisClusterCommands<String, String> redis, String prefix) {
        long count = 0;
        for (String key : keys(redis, prefix)) {
            count += "zset".equals(redis.type(key)) ? redis.zcard(key) : 1;
        }
        return count;
    }

    /** Every value the store holds: hash fields and values, sorted-set members, strings. */
    static List<Object> values(RedisClusterCommands<String, String> redis, String prefix) {
        List<Object> values = new ArrayList<>();
        for (String key : keys(redis, prefix)) {
            values.add(key);
            switch (redis.type(key)) {
                case "hash" -> redis.hgetall(key).forEach((field, value) -> {
                    values.add(field);
                    values.add(value);
                });
                case "zset" -> values.addAll(redis.zrange(key, 0, -1));
                case "string" -> values.add(redis.get(key));
                default -> throw new AssertionError("unexpected key " + key + " of type " + redis.type(key));
            }
        }
        return values;
    }

    /** A family id (22 base64url characters) that falls in {@code bucket}. */
    static String idInBucket(int bucket, String seed) {
        for (int i = 0; ; i++) {
            String id = hash(seed + "/" + i).substring(0, 22);
            if (Keys.bucket(id) == bucket) {
                return id;
            }
        }
    }

    /** A value shaped like a token hash: base64url of SHA-256, 43 characters. */
    static String hash(String seed) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
