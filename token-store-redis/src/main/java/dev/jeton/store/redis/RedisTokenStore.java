package dev.jeton.store.redis;

import dev.jeton.RevocationReason;
import dev.jeton.TokenStoreException;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.store.TokenStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
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

    private final Keys keys;
    private final Redis redis;
    private final SubjectIndex subjects;
    private final FamilySteps steps;
    private final AccessTokenDenials denials;
    private final BucketPurge purge;
    private final AutoCloseable owned;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisTokenStore(Keys keys, Redis redis, AutoCloseable owned) {
        this.keys = keys;
        this.redis = redis;
        this.subjects = new SubjectIndex(keys, redis);
        this.steps = new FamilySteps(keys, redis, subjects);
        this.denials = new AccessTokenDenials(keys, redis);
        this.purge = new BucketPurge(keys, redis);
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
        return new Builder(() -> Opened.owning(RedisClient.create(parsed), RedisClient::connect));
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
            return Opened.owning(client, RedisClusterClient::connect);
        });
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
        public RedisTokenStore build() {
            Opened opened = open.get();
            Redis redis = opened.redis(Math.max(replicas, 0), replicaTimeout == null ? Duration.ZERO : replicaTimeout);
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
        steps.create(first);
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
        return steps.rotate(Objects.requireNonNull(rotation, "rotation"));
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
        return steps.claimGrace(familyId, previousHash, maxUses, now);
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
        return steps.slide(familyId, generation, currentHash, newIdleExpiresAt, now);
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
        return steps.revoke(familyId, reason, now);
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
        return subjects.live(subject, now);
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
        denials.deny(jti, expiresAt);
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
        return denials.status(familyId, jti, now);
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
        return purge.expired(now, maxRows);
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

    @Override
    public String toString() {
        return "RedisTokenStore[prefix " + keys.prefix() + "]";
    }

    /** The key layout, for this package's tests. */
    Keys keys() {
        return keys;
    }
}
