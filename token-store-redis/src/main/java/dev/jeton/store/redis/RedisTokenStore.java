package dev.jeton.store.redis;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TokenStore} on Redis or Redis Cluster, through Lettuce: for any number of application instances sharing
 * one Redis deployment.
 *
 * <pre>{@code
 * RedisTokenStore store = RedisTokenStore.builder("redis://127.0.0.1:6379").build();
 * // or RedisTokenStore.builder(redisClient), builder(redisClusterClient), builder(connection), clusterBuilder(uri)
 * TokenService tokens = TokenService.builder()...store(store).build();
 * }</pre>
 *
 * <p><b>One hash per family</b> (one login), whatever the number of refreshes, plus one string per denied access-token
 * {@code jti}, each of which Redis deletes by itself at its expiry ({@code PEXPIREAT}); a sorted set per subject lists
 * its families, and a sorted set per bucket (a 1,024th of the families) tells {@link #purgeExpired}
 * what is due. Every step Jeton asks for (create, rotate, claim a grace use, slide, revoke, deny a {@code jti}) is
 * <b>one Lua script</b>, run by {@code EVALSHA} (by {@code EVAL} when the server does not know it yet), that reads
 * and checks the whole record and then applies the step or refuses it, atomically: a refresh is one round trip. All
 * keys a script touches carry the same hash tag, so on a cluster each script runs on one slot. Instants come from
 * Jeton's clock as arguments; no script reads the server's clock. The family's claims are kept as the exact text
 * Jeton wrote, and every text is compared byte for byte.
 *
 * <p>Logins are two round trips: the family, then the subject's index (so a family is never listed before it
 * exists). A lost answer (a timeout, a dropped connection, a command Lettuce sends again after reconnecting) is
 * settled by running the step once more: every script recognises its own step as already applied. A record that is
 * not what this store writes is refused with a {@link TokenStoreException} and left as it is; other families are not
 * affected.
 *
 * <p>Durability is Redis's: with asynchronous replication a failover can lose the last acknowledged writes (see the
 * README). {@link Builder#waitForReplicas} makes every write wait for replicas before it returns. Thread-safe: all
 * threads share one connection.
 */
public final class RedisTokenStore implements TokenStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTokenStore.class);
    private static final SecureRandom NONCES = new SecureRandom();
    private static final String[] NO_GRACE = {"", "", ""};

    private final Keys keys;
    private final Redis redis;
    private final AutoCloseable owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisTokenStore(Keys keys, Redis redis, AutoCloseable owned) {
        this.keys = keys;
        this.redis = redis;
        this.owned = owned;
    }

    /**
     * A store on the Redis server at {@code uri} ({@code redis://host:port}, see Lettuce's {@code RedisURI}); the
     * store makes the client and closes it in {@link #close()}.
     *
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static Builder builder(String uri) {
        RedisURI parsed = RedisURI.create(Objects.requireNonNull(uri, "uri"));
        return new Builder(() -> owning(RedisClient.create(parsed), RedisClient::connect));
    }

    /**
     * A store on the Redis Cluster that {@code uri} leads to (any node), with adaptive topology refresh; the store
     * makes the client and closes it in {@link #close()}.
     *
     * @throws IllegalArgumentException if the URI is malformed
     */
    public static Builder clusterBuilder(String uri) {
        RedisURI parsed = RedisURI.create(Objects.requireNonNull(uri, "uri"));
        return new Builder(() -> {
            RedisClusterClient client = RedisClusterClient.create(parsed);
            client.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions
                    .builder().enableAllAdaptiveRefreshTriggers().enablePeriodicRefresh(Duration.ofSeconds(30))
                    .build()).build());
            return owning(client, RedisClusterClient::connect);
        });
    }

    /** A connection of a client the store made: closing the store closes both; a failed connect shuts it down. */
    private static <C extends AbstractRedisClient> Opened owning(
            C client, Function<C, StatefulConnection<String, String>> connect) {
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

    /**
     * A store on a new connection of {@code client}, which the store closes in {@link #close()}; the client stays
     * yours.
     */
    public static Builder builder(RedisClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> {
            StatefulRedisConnection<String, String> connection = client.connect();
            return new Opened(connection, connection::close);
        });
    }

    /**
     * A store on a new connection of {@code client}, which the store closes in {@link #close()}; the client stays
     * yours.
     */
    public static Builder builder(RedisClusterClient client) {
        Objects.requireNonNull(client, "client");
        return new Builder(() -> {
            StatefulRedisClusterConnection<String, String> connection = client.connect();
            return new Opened(connection, connection::close);
        });
    }

    /**
     * A store sharing your connection (made with the default UTF-8 string codec, as {@code client.connect()} makes
     * it); {@link #close()} leaves it open.
     */
    public static Builder builder(StatefulRedisConnection<String, String> connection) {
        Objects.requireNonNull(connection, "connection");
        return new Builder(() -> new Opened(connection, () -> { }));
    }

    /**
     * A store sharing your cluster connection (made with the default UTF-8 string codec); {@link #close()} leaves it
     * open.
     */
    public static Builder builder(StatefulRedisClusterConnection<String, String> connection) {
        Objects.requireNonNull(connection, "connection");
        return new Builder(() -> new Opened(connection, () -> { }));
    }

    /** A connection the builder got hold of, and what closing the store must close. */
    private record Opened(Object connection, AutoCloseable owned) {
    }

    /** Sets the options of a {@link RedisTokenStore}, each at most once. Not thread-safe. */
    public static final class Builder {

        private final Supplier<Opened> open;
        private String keyPrefix;
        private int replicas = -1;
        private Duration replicaTimeout;

        private Builder(Supplier<Opened> open) {
            this.open = open;
        }

        /**
         * What every key of the store starts with: 1 to 64 characters among letters, digits and {@code . _ : -}.
         * Default {@code jeton:}. Stores with different prefixes share a server without seeing each other.
         *
         * @throws IllegalArgumentException if the prefix has another character or length
         * @throws IllegalStateException if it was already set
         */
        public Builder keyPrefix(String prefix) {
            if (keyPrefix != null) {
                throw new IllegalStateException("keyPrefix was already set to " + keyPrefix);
            }
            Objects.requireNonNull(prefix, "prefix");
            if (!Keys.PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 of letters, digits and . _ : - (no hash "
                        + "tag braces), got '" + prefix + "'");
            }
            keyPrefix = prefix;
            return this;
        }

        /**
         * After each write, waits with {@code WAIT} until {@code replicas} replicas of the primary that took it have
         * it, or {@code timeout} passes. The write stands either way (undoing an acknowledged rotation would only
         * make the client's next refresh look like reuse); a shortfall is logged at WARN and counted in
         * {@link RedisTokenStore#unconfirmedWrites()}. It narrows, but does not close, the window in which a failover
         * loses an acknowledged rotation. Costs a round trip per write plus the replication delay, and holds the
         * shared connection meanwhile. Default: no waiting.
         *
         * @throws IllegalArgumentException if {@code replicas} is not positive or {@code timeout} not between 1 ms
         *     and 10 s
         * @throws IllegalStateException if it was already set
         */
        public Builder waitForReplicas(int replicas, Duration timeout) {
            if (this.replicas >= 0) {
                throw new IllegalStateException("waitForReplicas was already set to " + this.replicas);
            }
            if (replicas < 1) {
                throw new IllegalArgumentException("waitForReplicas needs at least 1 replica, got " + replicas);
            }
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.toMillis() < 1 || timeout.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException("the timeout of waitForReplicas must be between 1 ms and 10 s, got "
                        + timeout);
            }
            this.replicas = replicas;
            this.replicaTimeout = timeout;
            return this;
        }

        /**
         * Connects (when the store was given a client or a URI) and builds the store.
         *
         * @throws io.lettuce.core.RedisException if Redis cannot be reached
         */
        @SuppressWarnings("unchecked")
        public RedisTokenStore build() {
            Opened opened = open.get();
            int waitFor = Math.max(replicas, 0);
            Duration waitTimeout = replicaTimeout == null ? Duration.ZERO : replicaTimeout;
            Redis redis;
            if (opened.connection() instanceof StatefulRedisClusterConnection<?, ?> cluster) {
                redis = Redis.cluster((StatefulRedisClusterConnection<String, String>) cluster, waitFor, waitTimeout);
            } else {
                StatefulRedisConnection<String, String> single =
                        (StatefulRedisConnection<String, String>) opened.connection();
                redis = Redis.standalone(single.async(), single.getTimeout(), waitFor, waitTimeout);
            }
            return new RedisTokenStore(new Keys(keyPrefix == null ? "jeton:" : keyPrefix), redis, opened.owned());
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the record is not a new family (generation 0, no grace window, not revoked),
     *     or a scope is empty or has a space
     * @throws IllegalStateException if a family with this id exists
     * @throws TokenStoreException if Redis fails; the family may then exist without being listed under its subject,
     *     unused (its token was never handed out) until it expires
     */
    @Override
    public void createFamily(FamilyRecord first) {
        Objects.requireNonNull(first, "first").requireNew();
        RefreshFamily family = first.family();
        String id = family.id();
        String scopes = FamilyHash.joinScopes(family.scopes());
        String familyKey = keys.family(id);
        String what = "creating family " + id;
        List<Object> answer = redis.run(Script.CREATE, what, new String[] {familyKey, keys.timelineOf(id)}, id,
                family.subject(), family.clientId(), scopes, family.claimsJson(), millis(family.createdAt()),
                millis(family.expiresAt()), first.currentHash(), millis(first.idleExpiresAt()),
                keys.base(Keys.bucket(id)));
        if ("E".equals(answer.get(0))) {
            throw new IllegalStateException("family " + id + " already exists");
        }
        String subjectKey = keys.subject(family.subject());
        redis.run(Script.INDEX, "listing family " + id + " under its subject", new String[] {subjectKey}, id,
                millis(family.expiresAt()), millis(family.createdAt()));
        redis.replicate(familyKey, what);
        redis.replicate(subjectKey, what);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if Redis fails or the record is malformed
     */
    @Override
    public Optional<FamilyRecord> findFamily(String familyId) {
        Objects.requireNonNull(familyId, "familyId");
        String familyKey = keys.family(familyId);
        Map<String, String> hash = redis.read(() -> redis.async.hgetall(familyKey), "reading family " + familyId);
        return hash.isEmpty() ? Optional.empty() : Optional.of(FamilyHash.fromMap(familyId, hash));
    }

    /**
     * {@inheritDoc} One script, one round trip.
     *
     * @throws TokenStoreException if Redis fails or the record is malformed; nothing changed unless the message says
     *     the outcome is unknown
     */
    @Override
    public StepResult rotate(Rotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        String id = rotation.familyId();
        String[] grace = graceArguments(rotation.grace());
        String familyKey = keys.family(id);
        String what = "rotating family " + id;
        return step(id, what, Script.ROTATE, new String[] {familyKey, keys.timelineOf(id)}, id,
                Long.toString(rotation.presentedGeneration()), rotation.presentedHash(), rotation.successorHash(),
                millis(rotation.successorIdleExpiresAt()), millis(rotation.now()), grace[0], grace[1], grace[2]);
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if Redis fails or the record is malformed; nothing changed unless the message says
     *     the outcome is unknown
     */
    @Override
    public StepResult claimGrace(String familyId, String previousHash, int maxUses, Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(now, "now");
        byte[] nonce = new byte[12];
        NONCES.nextBytes(nonce);
        return step(familyId, "claiming the grace window of family " + familyId, Script.CLAIM,
                new String[] {keys.family(familyId)}, previousHash, Integer.toString(maxUses), millis(now),
                HexFormat.of().formatHex(nonce));
    }

    /**
     * {@inheritDoc}
     *
     * @throws TokenStoreException if Redis fails or the record is malformed; nothing changed unless the message says
     *     the outcome is unknown
     */
    @Override
    public StepResult slide(String familyId, long generation, String currentHash, Instant newIdleExpiresAt,
                            Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(currentHash, "currentHash");
        Objects.requireNonNull(newIdleExpiresAt, "newIdleExpiresAt");
        Objects.requireNonNull(now, "now");
        return step(familyId, "sliding family " + familyId, Script.SLIDE, new String[] {keys.family(familyId)},
                Long.toString(generation), currentHash, millis(newIdleExpiresAt), millis(now));
    }

    private StepResult step(String familyId, String what, Script script, String[] keys, String... args) {
        List<Object> answer = redis.run(script, what, keys, args);
        Object status = answer.get(0);
        if ("N".equals(status)) {
            return StepResult.refused(Optional.empty());
        }
        FamilyRecord record = FamilyHash.fromFlat(familyId, answer, 1);
        if ("A".equals(status)) {
            redis.replicate(keys[0], what);
            return StepResult.applied(record);
        }
        return StepResult.refused(Optional.of(record));
    }

    /**
     * {@inheritDoc} A revocation sent again after its answer was lost answers that the family was already revoked.
     *
     * @throws TokenStoreException if Redis fails or the record is malformed; the family is not revoked unless the
     *     message says the outcome is unknown
     */
    @Override
    public boolean revokeFamily(String familyId, RevocationReason reason, Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(now, "now");
        String familyKey = keys.family(familyId);
        String what = "revoking family " + familyId;
        List<Object> answer = redis.run(Script.REVOKE, what, new String[] {familyKey, keys.timelineOf(familyId)},
                familyId, millis(now), reason.name());
        boolean revoked = Long.valueOf(1).equals(answer.get(0));
        if (revoked) {
            redis.replicate(familyKey, what);
        }
        return revoked;
    }

    /**
     * {@inheritDoc} Reads the subject's index, then the listed families in one pipelined batch; drops from the index
     * the families past their absolute expiry and those that are gone. A family whose record is malformed is left out
     * and logged, so that the subject's other sessions can still be listed and revoked.
     *
     * @throws TokenStoreException if Redis fails
     */
    @Override
    public List<FamilyRecord> liveFamilies(String subject, Instant now) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(now, "now");
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
                if (!malformed(e)) {
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

    /**
     * {@inheritDoc} The denial is a string that Redis deletes at {@code expiresAt}.
     *
     * @throws TokenStoreException if Redis fails, or a malformed value is stored under the denial's key
     */
    @Override
    public void revokeAccessToken(String jti, Instant expiresAt) {
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(expiresAt, "expiresAt");
        String denialKey = keys.denial(jti);
        String what = "denying access token " + jti;
        redis.run(Script.DENY, what, new String[] {denialKey, keys.timelineOf(jti)}, jti, millis(expiresAt));
        redis.replicate(denialKey, what);
    }

    /**
     * {@inheritDoc} Two reads sent together (the family and the denial may live on different cluster nodes): one
     * round trip.
     *
     * @throws TokenStoreException if Redis fails or a stored value is malformed
     */
    @Override
    public RevocationStatus revocationStatus(Optional<String> familyId, String jti, Instant now) {
        Objects.requireNonNull(familyId, "familyId");
        Objects.requireNonNull(jti, "jti");
        Objects.requireNonNull(now, "now");
        String what = "checking the revocation of access token " + jti;
        Supplier<RedisFuture<List<KeyValue<String, String>>>> readFamily = familyId
                .<Supplier<RedisFuture<List<KeyValue<String, String>>>>>map(id -> {
                    String familyKey = keys.family(id);
                    return () -> redis.async.hmget(familyKey, "g", "ra");
                }).orElse(null);
        String denialKey = keys.denial(jti);
        Supplier<RedisFuture<String>> readDenial = () -> redis.async.get(denialKey);
        // Both sent before either answer is awaited: one round trip, even when they live on different nodes.
        RedisFuture<List<KeyValue<String, String>>> family = readFamily == null ? null : readFamily.get();
        RedisFuture<String> denial = readDenial.get();
        boolean sessionRevoked = false;
        if (family != null) {
            List<KeyValue<String, String>> fields = redis.read(family, readFamily, what);
            sessionRevoked = !fields.get(0).hasValue() || fields.get(1).hasValue();
        }
        String deniedUntil = redis.read(denial, readDenial, what);
        boolean accessTokenRevoked = false;
        if (deniedUntil != null) {
            try {
                accessTokenRevoked = now.toEpochMilli() < Long.parseLong(deniedUntil);
            } catch (NumberFormatException e) {
                throw new TokenStoreException("the denial of access token " + jti + " is malformed in Redis", null);
            }
        }
        return new RevocationStatus(sessionRevoked, accessTokenRevoked);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Redis deletes families and denials by itself at their expiry, by its own clock; what this does is what
     * Jeton's clock says is due: it reads every bucket's timeline (one pipelined batch), then, bucket by bucket in
     * one script each, deletes the families past their absolute expiry, drops grace windows that have passed, deletes
     * denials past their expiry, and forgets entries whose data Redis already expired; then it removes the deleted
     * families from their subjects' indexes. A bucket whose timeline is malformed is skipped and logged.
     *
     * @throws TokenStoreException if Redis fails (what earlier scripts did stays done; call again)
     */
    @Override
    public int purgeExpired(Instant now, int maxRows) {
        Objects.requireNonNull(now, "now");
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be positive");
        }
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
                if (!malformed(e)) {
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

    /** Whether a failure is about what a key holds (the record is malformed, or Redis refused it for its type). */
    private static boolean malformed(TokenStoreException e) {
        return e.getCause() == null
                || e.getCause() instanceof RedisCommandExecutionException refused && !Redis.notRun(refused);
    }

    /**
     * How many writes {@link Builder#waitForReplicas} saw confirmed by fewer replicas than asked, since the store was
     * built; 0 without that option. For a health check.
     */
    public long unconfirmedWrites() {
        return redis.unconfirmedWrites();
    }

    /**
     * Closes the connection (and the client) the store opened itself; a connection you gave it stays open. Calling it
     * again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            owned.close();
        } catch (Exception e) {
            LOG.warn("closing the Redis connection of the token store failed", e);
        }
    }

    private static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    @Override
    public String toString() {
        return "RedisTokenStore[prefix " + keys.prefix() + "]";
    }

    /** The key layout, for this package's tests. */
    Keys keys() {
        return keys;
    }

    /** The grace window as the rotation script takes it: previous hash, sealed successor, end; all empty if none. */
    private static String[] graceArguments(Optional<GraceWindow> grace) {
        return grace.map(g -> new String[] {g.previousHash(), g.sealedSuccessor(), millis(g.until())})
                .orElse(NO_GRACE);
    }
}
