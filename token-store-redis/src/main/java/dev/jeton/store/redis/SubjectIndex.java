package dev.jeton.store.redis;

import static dev.jeton.store.redis.FamilyHash.millis;

import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RefreshFamily;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subject's families, as the sorted set {@link Keys#subject} lists them by absolute expiry: a family is listed once
 * it exists, and dropped from the list when a read finds it gone or past its expiry. Thread-safe.
 */
final class SubjectIndex {

    /** Under the store's name, which is where users look for it. */
    private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);

    private final Keys keys;
    private final Redis redis;

    SubjectIndex(Keys keys, Redis redis) {
        this.keys = keys;
        this.redis = redis;
    }

    /** Lists a family just created under its subject, and returns the index's key. */
    String add(RefreshFamily family) {
        String subjectKey = keys.subject(family.subject());
        redis.run(Script.INDEX, "listing family " + family.id() + " under its subject", new String[] {subjectKey},
                family.id(), millis(family.expiresAt()), millis(family.createdAt()));
        return subjectKey;
    }

    /** See {@link RedisTokenStore#liveFamilies}. */
    List<FamilyRecord> live(String subject, Instant now) {
        String subjectKey = keys.subject(subject);
        String what = "listing the families of a subject";
        List<ScoredValue<String>> listed = redis.read(() -> redis.async.zrangeWithScores(subjectKey, 0, -1), what);
        long at = now.toEpochMilli();
        List<String> stale = new ArrayList<>();
        Map<String, RedisFuture<Map<String, String>>> reads = new LinkedHashMap<>();
        for (ScoredValue<String> entry : listed) {
            if (entry.getScore() <= at) {
                stale.add(entry.getValue());
            } else {
                reads.put(entry.getValue(), redis.async.hgetall(keys.family(entry.getValue())));
            }
        }
        List<FamilyRecord> live = new ArrayList<>();
        for (Map.Entry<String, RedisFuture<Map<String, String>>> read : reads.entrySet()) {
            String id = read.getKey();
            Map<String, String> hash;
            FamilyRecord record;
            try {
                hash = redis.read(read.getValue(), () -> redis.async.hgetall(keys.family(id)), what);
                if (hash.isEmpty()) {
                    stale.add(id);
                    continue;
                }
                record = FamilyHash.fromMap(id, hash);
            } catch (TokenStoreException e) {
                if (!Redis.isMalformed(e)) {
                    throw e;
                }
                LOG.warn("{}: family {} cannot be read and is left out: {}", what, id, e.getMessage());
                continue;
            }
            if (!record.family().subject().equals(subject)) {
                stale.add(id);
            } else if (record.isLiveAt(now)) {
                live.add(record);
            }
        }
        if (!stale.isEmpty()) {
            String[] members = stale.toArray(String[]::new);
            redis.read(() -> redis.async.zrem(subjectKey, members), "tidying a subject's index");
        }
        return live;
    }
}
