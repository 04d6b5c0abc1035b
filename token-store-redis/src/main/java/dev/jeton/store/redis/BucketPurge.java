package dev.jeton.store.redis;

import dev.jeton.TokenStoreException;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RedisTokenStore#purgeExpired}: what each bucket's timeline says is due by Jeton's clock, settled bucket by
 * bucket with one script each, then the purged families taken off their subjects' indexes. Thread-safe.
 */
final class BucketPurge {

    /** Under the store's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);

    private final Keys keys;
    private final Redis redis;

    BucketPurge(Keys keys, Redis redis) {
        this.keys = keys;
        this.redis = redis;
    }

    /** Settles at most {@code maxRows} entries due at {@code now}; returns how many. */
    int expired(Instant now, int maxRows) {
        long at = now.toEpochMilli();
        List<Supplier<RedisFuture<List<String>>>> reads = new ArrayList<>(Keys.BUCKETS);
        List<RedisFuture<List<String>>> due = new ArrayList<>(Keys.BUCKETS);
        for (int bucket = 0; bucket < Keys.BUCKETS; bucket++) {
            String timeline = keys.timeline(bucket);
            Supplier<RedisFuture<List<String>>> read = () -> redis.async.zrangebyscore(timeline,
                    Range.create((Number) Double.NEGATIVE_INFINITY, (Number) at), Limit.create(0, maxRows));
            reads.add(read);
            due.add(read.get());
        }
        Map<Integer, List<String>> chosen = new LinkedHashMap<>();
        int remaining = maxRows;
        for (int bucket = 0; bucket < Keys.BUCKETS; bucket++) {
            List<String> members;
            try {
                members = redis.read(due.get(bucket), reads.get(bucket), "reading what is due");
            } catch (TokenStoreException e) {
                if (!Redis.isMalformed(e)) {
                    throw e;
                }
                LOG.warn("purge: the timeline {} cannot be read and is skipped: {}", keys.timeline(bucket),
                        e.getMessage());
                continue;
            }
            if (remaining > 0 && !members.isEmpty()) {
                List<String> taken = members.subList(0, Math.min(remaining, members.size()));
                chosen.put(bucket, taken);
                remaining -= taken.size();
            }
        }
        int settled = 0;
        for (Map.Entry<Integer, List<String>> bucket : chosen.entrySet()) {
            settled += purgeBucket(bucket.getKey(), bucket.getValue(), at);
        }
        return settled;
    }

    private int purgeBucket(int bucket, List<String> members, long now) {
        String base = keys.base(bucket);
        String[] scriptKeys = new String[members.size() + 1];
        String[] args = new String[members.size() + 1];
        scriptKeys[0] = keys.timeline(bucket);
        args[0] = Long.toString(now);
        for (int k = 0; k < members.size(); k++) {
            String member = members.get(k);
            // Built on the bucket's own tag, whatever the entry says, so that the script stays on one slot.
            scriptKeys[k + 1] = base + (member.startsWith("j") ? "j:" : "f:") + member.substring(Math.min(1,
                    member.length()));
            args[k + 1] = member;
        }
        List<Object> answer = redis.run(Script.PURGE, "purging bucket " + bucket, scriptKeys, args);
        List<Supplier<RedisFuture<Long>>> unlists = new ArrayList<>();
        for (int k = 1; k + 1 < answer.size(); k += 2) {
            String subjectKey = keys.subject(String.valueOf(answer.get(k)));
            String familyId = String.valueOf(answer.get(k + 1));
            unlists.add(() -> redis.async.zrem(subjectKey, familyId));
        }
        List<RedisFuture<Long>> sent = unlists.stream().map(Supplier::get).toList();
        for (int k = 0; k < sent.size(); k++) {
            redis.read(sent.get(k), unlists.get(k), "removing a purged family from its subject's index");
        }
        return ((Long) answer.get(0)).intValue();
    }
}
