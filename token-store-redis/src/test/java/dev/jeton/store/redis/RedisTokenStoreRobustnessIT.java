package dev.jeton.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RevocationReason;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.testing.TestClock;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store on the local Redis beyond the contract: garbage under its keys, a server that forgot its scripts, steps
 * sent twice, round trips, time from Jeton's clock, and waiting for replicas that are not there.
 */
class RedisTokenStoreRobustnessIT {

    private static final JwtKey KEY = JwtKey.generate("robust", JwsAlgorithm.HS256);

    private final TestClock clock = TestClock.fixed();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private RedisCommands<String, String> redis;
    private String prefix;
    private RedisTokenStore store;

    @BeforeEach
    void newStore() {
        redis = TestRedis.standalone().sync();
        prefix = TestRedis.uniquePrefix();
        store = store(b -> { });
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
        TestRedis.deleteKeys(redis, prefix);
    }

    private RedisTokenStore store(Consumer<RedisTokenStore.Builder> options) {
        RedisTokenStore.Builder builder = RedisTokenStore.builder(TestRedis.standalone()).keyPrefix(prefix);
        options.accept(builder);
        RedisTokenStore built = builder.build();
        closing.add(built);
        return built;
    }

    private TokenService service(RedisTokenStore on) {
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).store(on).clock(clock).revocationAwareValidation(Duration.ZERO)
                .reuseGrace(Duration.ofSeconds(30)).build();
    }

    private static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    private FamilyRecord family(String seed, String subject) {
        Instant now = clock.instant();
        RefreshFamily family = new RefreshFamily(TestRedis.hash(seed).substring(0, 22), subject, "web",
                Set.of("openid"), "{\"n\":\"Zoë\"}", now, now.plus(Duration.ofHours(10)));
        FamilyRecord first = FamilyRecord.first(family, TestRedis.hash(seed + "#0"), now.plus(Duration.ofHours(1)));
        store.createFamily(first);
        return first;
    }

    private Rotation next(FamilyRecord from) {
        Instant now = clock.instant();
        return new Rotation(from.id(), from.generation(), from.currentHash(),
                TestRedis.hash(from.id() + "#" + (from.generation() + 1)), now.plus(Duration.ofHours(1)),
                Optional.of(new GraceWindow(from.currentHash(), TestRedis.hash("sealed"),
                        now.plus(Duration.ofSeconds(30)), 0)),
                now);
    }

    @Test
    void aMalformedFamilyIsRefusedLeftAsItIsAndHarmsNoOtherFamily() {
        FamilyRecord broken = family("broken", "alice");
        FamilyRecord sound = family("sound", "alice");
        String key = store.keys().family(broken.id());
        redis.hset(key, "g", "not a number");
        Map<String, String> before = redis.hgetall(key);
        Instant now = clock.instant();

        assertThatThrownBy(() -> store.findFamily(broken.id())).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining("field g");
        assertThatThrownBy(() -> store.rotate(next(broken))).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining("malformed");
        assertThatThrownBy(() -> store.claimGrace(broken.id(), broken.currentHash(), 1, now))
                .isInstanceOf(TokenStoreException.class);
        assertThatThrownBy(() -> store.slide(broken.id(), 0, broken.currentHash(), now.plusSeconds(60), now))
                .isInstanceOf(TokenStoreException.class);
        assertThatThrownBy(() -> store.revokeFamily(broken.id(), RevocationReason.LOGOUT, now))
                .isInstanceOf(TokenStoreException.class);

        assertThat(redis.hgetall(key)).isEqualTo(before);
        assertThat(store.rotate(next(sound)).applied()).isTrue();
        assertThat(store.liveFamilies("alice", now)).extracting(FamilyRecord::id).containsExactly(sound.id());
        assertThat(store.revokeFamily(sound.id(), RevocationReason.LOGOUT, now)).isTrue();
    }

    @Test
    void aFamilyKeyHoldingAnotherTypeIsRefusedAndLeftAsItIs() {
        FamilyRecord sound = family("sound", "alice");
        String id = TestRedis.hash("string").substring(0, 22);
        String key = store.keys().family(id);
        redis.set(key, "garbage");
        Instant now = clock.instant();

        assertThatThrownBy(() -> store.findFamily(id)).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining("WRONGTYPE");
        assertThatThrownBy(() -> store.rotate(new Rotation(id, 0, TestRedis.hash("x"), TestRedis.hash("y"),
                now.plusSeconds(60), Optional.empty(), now))).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining("WRONGTYPE");
        assertThatThrownBy(() -> store.revokeFamily(id, RevocationReason.LOGOUT, now))
                .isInstanceOf(TokenStoreException.class);

        assertThat(redis.get(key)).isEqualTo("garbage");
        assertThat(store.findFamily(sound.id())).contains(sound);
    }

    @Test
    void aSessionWhoseRecordIsMalformedIsLeftOutAndTheSubjectsOthersAreStillRevoked() {
        TokenService tokens = service(store);
        TokenPair phone = tokens.issue(IssueRequest.forSubject("dave").client("web").build());
        TokenPair laptop = tokens.issue(IssueRequest.forSubject("dave").client("web").build());
        redis.hdel(store.keys().family(phone.sessionId().orElseThrow()), "ex");

        assertThat(tokens.sessions("dave")).extracting(s -> s.id()).containsExactly(laptop.sessionId().orElseThrow());
        assertThat(tokens.revokeAll("dave")).isEqualTo(1);
        assertThat(store.findFamily(laptop.sessionId().orElseThrow()).orElseThrow().isRevoked()).isTrue();
    }

    @Test
    void aSubjectsIndexForgetsExpiredFamiliesWhenReadAndPurgedOnesWhenPurged() {
        FamilyRecord early = family("early", "alice");
        clock.advance(Duration.ofHours(1));
        FamilyRecord late = family("late", "alice");
        String index = store.keys().subject("alice");
        assertThat(redis.zrange(index, 0, -1)).containsExactlyInAnyOrder(early.id(), late.id());

        assertThat(store.liveFamilies("alice", early.family().expiresAt())).containsExactly(late);
        assertThat(redis.zrange(index, 0, -1)).containsExactly(late.id());

        assertThat(store.purgeExpired(late.family().expiresAt(), 100)).isEqualTo(2);
        assertThat(redis.exists(index)).isZero();
    }

    @Test
    void aMalformedTimelineNeverStopsLoginsAndPurgeSkipsIt() {
        FamilyRecord first = family("first", "alice");
        String timeline = store.keys().timelineOf(first.id());
        redis.del(timeline);
        redis.set(timeline, "garbage");
        String id = TestRedis.idInBucket(Keys.bucket(first.id()), "same bucket");
        Instant now = clock.instant();
        RefreshFamily sameBucket = new RefreshFamily(id, "bob", "web", Set.of(), "{}", now,
                now.plus(Duration.ofHours(10)));
        FamilyRecord created = FamilyRecord.first(sameBucket, TestRedis.hash("same#0"), now.plus(Duration.ofHours(1)));
        FamilyRecord elsewhere = family("elsewhere", "carol");
        assertThat(Keys.bucket(elsewhere.id())).isNotEqualTo(Keys.bucket(id));

        store.createFamily(created);

        assertThat(store.findFamily(id)).contains(created);
        assertThat(store.rotate(next(created)).applied()).isTrue();
        assertThat(store.purgeExpired(now.plus(Duration.ofHours(10)), 100)).isEqualTo(1);
        assertThat(store.findFamily(elsewhere.id())).isEmpty();
        assertThat(redis.get(timeline)).isEqualTo("garbage");
    }

    @Test
    void aMalformedSubjectIndexFailsOnlyThatSubjectsLogins() {
        TokenService tokens = service(store);
        redis.set(store.keys().subject("mallory"), "garbage");

        assertThatThrownBy(() -> tokens.issue(IssueRequest.forSubject("mallory").client("web").build()))
                .isInstanceOf(TokenStoreException.class).hasMessageContaining("WRONGTYPE");

        TokenPair other = tokens.issue(IssueRequest.forSubject("nina").client("web").build());
        assertThat(tokens.refresh(refreshOf(other)).refreshToken()).isPresent();
        assertThat(tokens.sessions("nina")).hasSize(1);
    }

    @Test
    void aMalformedDenialIsRefusedAndOthersStillAnswer() {
        Instant expiry = clock.instant().plusSeconds(900);
        redis.set(store.keys().denial("jti-bad"), "soon");
        store.revokeAccessToken("jti-good", expiry);

        assertThatThrownBy(() -> store.revocationStatus(Optional.empty(), "jti-bad", clock.instant()))
                .isInstanceOf(TokenStoreException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> store.revokeAccessToken("jti-bad", expiry)).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining("malformed");
        assertThat(store.revocationStatus(Optional.empty(), "jti-good", clock.instant()).accessTokenRevoked()).isTrue();
    }

    @Test
    void aServerThatForgotTheScriptsIsSentThemWhole() {
        FamilyRecord first = family("flushed", "alice");
        redis.scriptFlush();

        assertThat(store.rotate(next(first)).applied()).isTrue();
        assertThat(redis.scriptExists(Script.ROTATE.sha)).containsExactly(true);
    }

    @Test
    void stepsSentAgainAfterALostAnswerAreRecognisedAsApplied() {
        FamilyRecord first = family("twice", "alice");
        store.createFamily(first);
        Rotation rotation = next(first);
        StepResult rotated = store.rotate(rotation);

        assertThat(store.rotate(rotation)).isEqualTo(rotated);
        Instant now = clock.instant();
        Redis direct = Redis.standalone(TestRedis.standalone().async(), Duration.ofSeconds(10), 0, Duration.ZERO);
        String[] keys = {store.keys().family(first.id())};
        String[] claim = {first.currentHash(), "1", Long.toString(now.toEpochMilli()), "nonce-1"};
        assertThat(direct.run(Script.CLAIM, "claim", keys, claim).get(0)).isEqualTo("A");
        assertThat(direct.run(Script.CLAIM, "claim again", keys, claim).get(0)).isEqualTo("A");
        assertThat(store.findFamily(first.id()).orElseThrow().grace().orElseThrow().uses()).isEqualTo(1);
        assertThat(store.claimGrace(first.id(), first.currentHash(), 1, now).applied()).isFalse();
    }

    @Test
    void aRefreshOfAFamilyTheInstanceKnowsIsOneCommandAndARevocationCheckOneRoundTrip() {
        RedisURI uri = RedisURI.create(TestRedis.URI);
        RedisClient client = RedisClient.create(uri);
        closing.add(client::shutdown);
        List<String> sent = new ArrayList<>();
        client.addListener(new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                sent.add(event.getCommand().getType().toString());
            }
        });
        StatefulRedisConnection<String, String> connection = client.connect();
        closing.add(connection);
        TokenService tokens = service(RedisTokenStore.builder(connection).keyPrefix(prefix).build());
        TokenPair pair = tokens.refresh(refreshOf(tokens.issue(IssueRequest.forSubject("rita").client("web")
                .build())));

        sent.clear();
        TokenPair next = tokens.refresh(refreshOf(pair));
        assertThat(sent).containsExactly("EVALSHA");

        sent.clear();
        tokens.validate(next.accessToken());
        assertThat(sent).containsExactly("HMGET", "GET");
    }

    @Test
    void everyExpiryIsJetonsClocksNotTheServers() {
        FamilyRecord first = family("clock", "alice");
        Instant denied = clock.instant().plusSeconds(900);
        store.revokeAccessToken("jti-clock", denied);

        long serverSeconds = Long.parseLong(redis.time().get(0));
        assertThat(clock.instant().getEpochSecond()).as("the test clock stands years from the server's")
                .isGreaterThan(serverSeconds + 86_400);
        assertThat(redis.pexpiretime(store.keys().family(first.id())))
                .isEqualTo(first.family().expiresAt().toEpochMilli());
        assertThat(redis.pexpiretime(store.keys().denial("jti-clock"))).isEqualTo(denied.toEpochMilli());
        assertThat(redis.pexpiretime(store.keys().subject("alice")))
                .isEqualTo(first.family().expiresAt().toEpochMilli());
    }

    @Test
    void waitingForReplicasThatAreNotThereCountsEveryWriteAndChangesNoAnswer() {
        RedisTokenStore waiting = store(b -> b.waitForReplicas(1, Duration.ofMillis(5)));
        TokenService tokens = service(waiting);

        TokenPair pair = tokens.issue(IssueRequest.forSubject("wes").client("web").build());
        TokenPair next = tokens.refresh(refreshOf(pair));
        tokens.revoke(next.refreshToken().orElseThrow());

        assertThat(waiting.unconfirmedWrites()).as("family, index, rotation, revocation").isEqualTo(4);
    }

    @Test
    void optionsAreCheckedWhenSet() {
        RedisTokenStore.Builder builder = RedisTokenStore.builder(TestRedis.standalone());
        assertThatThrownBy(() -> builder.keyPrefix("a{b}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keyPrefix");
        assertThatThrownBy(() -> builder.keyPrefix("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.waitForReplicas(0, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.waitForReplicas(1, Duration.ofSeconds(11)))
                .isInstanceOf(IllegalArgumentException.class);
        builder.keyPrefix("ok:");
        assertThatThrownBy(() -> builder.keyPrefix("again:")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ok:");
    }

    @Test
    void aScopeWithASpaceIsRefusedBeforeAnythingIsStored() {
        Instant now = clock.instant();
        RefreshFamily family = new RefreshFamily(TestRedis.hash("spaced").substring(0, 22), "alice", "web",
                Set.of("read write"), "{}", now, now.plus(Duration.ofHours(1)));

        FamilyRecord first = FamilyRecord.first(family, TestRedis.hash("s"), now.plusSeconds(60));
        assertThatThrownBy(() -> store.createFamily(first))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TestRedis.keys(redis, prefix)).isEmpty();
    }

}
