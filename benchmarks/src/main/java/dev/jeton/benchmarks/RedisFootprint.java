package dev.jeton.benchmarks;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.redis.RedisTokenStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Bytes per login in Redis: logs in {@code logins} subjects (one family each, with the claims and scopes of a typical
 * login), refreshes each one {@code refreshes} times with a grace window of {@code grace} seconds (0: none), then adds
 * up {@code MEMORY USAGE} over every key of the store, by kind (families, subjects' indexes, timelines), and divides by
 * the logins. Deletes its keys at the end.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.jeton.benchmarks.RedisFootprint 10000 1 30} (logins,
 * refreshes per login, grace seconds; Redis at {@code redis://127.0.0.1:6379} or the fourth argument).
 */
public final class RedisFootprint {

    private RedisFootprint() {
    }

    public static void main(String[] args) {
        int logins = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int refreshes = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int grace = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String uri = args.length > 3 ? args[3] : "redis://127.0.0.1:6379";
        String prefix = "jf" + UUID.randomUUID().toString().substring(0, 8) + ":";
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisTokenStore store = RedisTokenStore.builder(connection).keyPrefix(prefix).build();
            TokenService.Builder builder = TokenService.builder().issuer("https://issuer.example")
                    .audience("https://api.example").store(store)
                    .keys(KeyProvider.of(JwtKey.generate("footprint", JwsAlgorithm.HS256)));
            if (grace > 0) {
                builder.reuseGrace(Duration.ofSeconds(grace));
            }
            TokenService tokens = builder.build();
            List<String> current = new ArrayList<>(logins);
            for (int i = 0; i < logins; i++) {
                TokenPair pair = tokens.issue(IssueRequest.forSubject("user-" + i + "@example.com").client("web")
                        .scopes("openid", "profile", "email").claim("roles", List.of("user")).build());
                current.add(pair.refreshToken().orElseThrow());
            }
            for (int r = 0; r < refreshes; r++) {
                for (int i = 0; i < logins; i++) {
                    current.set(i, tokens.refresh(RefreshRequest.of(current.get(i)).client("web").build())
                            .refreshToken().orElseThrow());
                }
            }
            RedisCommands<String, String> redis = connection.sync();
            long families = 0;
            long subjects = 0;
            long timelines = 0;
            List<String> keys = redis.keys(prefix + "*");
            for (String key : keys) {
                long bytes = redis.memoryUsage(key);
                if (key.contains("}:f:")) {
                    families += bytes;
                } else if (key.startsWith(prefix + "s:")) {
                    subjects += bytes;
                } else {
                    timelines += bytes;
                }
            }
            System.out.printf("%d logins, %d refreshes each, grace %d s: %d keys; bytes per login %.0f (family %.0f,"
                    + " subject index %.0f, timelines %.0f)%n", logins, refreshes, grace, keys.size(),
                    (double) (families + subjects + timelines) / logins, (double) families / logins,
                    (double) subjects / logins, (double) timelines / logins);
            keys.forEach(redis::del);
        } finally {
            client.shutdown();
        }
    }
}
