package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.RevocationReason;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.Revocation;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of the family SPI, called directly on each database, with the pool handing out connections in
 * autocommit and with autocommit off: each step applies exactly when {@link FamilyRecord}'s condition holds and then
 * leaves exactly the record its transition describes, and is otherwise refused with the record as it stands.
 */
class JdbcTokenStoreStepsIT {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Instant IDLE = T0.plus(Duration.ofHours(1));
    private static final Instant EXPIRES = T0.plus(Duration.ofHours(10));
    /** Stored verbatim: key order, spacing and non-ASCII text are the store's to keep, never to normalise. */
    private static final String CLAIMS = "{\"roles\":[\"admin\"], \"name\":\"Zoë  \",\"a\":1}";

    private DataSource pool;
    private String prefix;
    private JdbcTokenStore store;

    static Stream<Arguments> databases() {
        return Stream.of(TestDatabases.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, true), Arguments.of(kind, false)));
    }

    private void open(TestDatabases.Kind kind, boolean autoCommit) {
        pool = TestDatabases.pool(kind, autoCommit);
        prefix = TestDatabases.uniquePrefix();
        store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
    }

    /** Opens the store with one family, alice's, at generation 0. */
    private FamilyRecord openWithAlice(TestDatabases.Kind kind, boolean autoCommit) {
        open(kind, autoCommit);
        FamilyRecord alice = first("FamilyAliceAAAAAAAAAAA", "alice");
        store.createFamily(alice);
        return alice;
    }

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    static String hash(String seed) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static FamilyRecord first(String id, String subject) {
        RefreshFamily family = new RefreshFamily(id, subject, "web",
                new LinkedHashSet<>(List.of("openid", "profile", "email")), CLAIMS, T0, EXPIRES);
        return FamilyRecord.first(family, hash(id + "/0"), IDLE);
    }

    private static Rotation rotation(FamilyRecord from, Instant now, Optional<Instant> graceUntil) {
        String presented = from.currentHash();
        String successor = hash(from.id() + "/" + (from.generation() + 1));
        return new Rotation(from.id(), from.generation(), presented, successor, now.plus(Duration.ofHours(1)),
                graceUntil.map(until -> new GraceWindow(presented, "sealed-" + successor, until, 0)), now);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a new family reads back exactly as stored, claims text included; other ids find nothing")
    void aNewFamilyReadsBackExactlyAsStored(TestDatabases.Kind kind, boolean autoCommit) {
        open(kind, autoCommit);
        FamilyRecord alice = first("FamilyAliceAAAAAAAAAAA", "alice");

        store.createFamily(alice);

        assertThat(store.findFamily(alice.id())).contains(alice);
        assertThat(store.findFamily(alice.id()).orElseThrow().family().claimsJson()).isEqualTo(CLAIMS);
        assertThat(store.findFamily(alice.id()).orElseThrow().family().scopes())
                .containsExactly("openid", "profile", "email");
        assertThat(store.findFamily("FamilyBobAAAAAAAAAAAAA")).isEmpty();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("creating a family twice, or from anything but a first record, is refused and changes nothing")
    void creatingAFamilyTwiceOrFromALaterRecordIsRefused(TestDatabases.Kind kind, boolean autoCommit) {
        FamilyRecord alice = openWithAlice(kind, autoCommit);

        assertThatThrownBy(() -> store.createFamily(first(alice.id(), "mallory")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(alice.id());
        FamilyRecord fresh = first("FamilyLaterAAAAAAAAAAA", "bob");
        FamilyRecord later = fresh.rotated(rotation(fresh, T0, Optional.empty()));
        assertThatThrownBy(() -> store.createFamily(later)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.findFamily(alice.id())).contains(alice);
        assertThat(store.findFamily(later.id())).isEmpty();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("the current token rotates once; the same rotation is then refused with the record as it stands")
    void theCurrentTokenRotatesOnce(TestDatabases.Kind kind, boolean autoCommit) {
        FamilyRecord alice = openWithAlice(kind, autoCommit);
        Instant now = T0.plus(Duration.ofMinutes(10));
        Rotation rotation = rotation(alice, now, Optional.empty());

        StepResult rotated = store.rotate(rotation);
        StepResult again = store.rotate(rotation);

        FamilyRecord expected = alice.rotated(rotation);
        assertThat(rotated).isEqualTo(StepResult.applied(expected));
        assertThat(again).isEqualTo(StepResult.refused(Optional.of(expected)));
        assertThat(store.findFamily(alice.id())).contains(expected);
        Rotation next = rotation(expected, now.plusSeconds(1), Optional.empty());
        assertThat(store.rotate(next)).isEqualTo(StepResult.applied(expected.rotated(next)));
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a rotation is refused, changing nothing, for anything but the current token of a usable family")
    void aRotationIsRefusedForAnythingButTheCurrentUsableToken(TestDatabases.Kind kind, boolean autoCommit) {
        FamilyRecord alice = openWithAlice(kind, autoCommit);
        Rotation valid = rotation(alice, T0, Optional.empty());

        List<Rotation> refused = List.of(
                new Rotation(alice.id(), 1, valid.presentedHash(), valid.successorHash(), IDLE, Optional.empty(), T0),
                new Rotation(alice.id(), 0, hash("another"), valid.successorHash(), IDLE, Optional.empty(), T0),
                new Rotation(alice.id(), 0, valid.presentedHash(), valid.successorHash(), EXPIRES, Optional.empty(),
                        IDLE),
                new Rotation(alice.id(), 0, valid.presentedHash(), valid.successorHash(), EXPIRES, Optional.empty(),
                        EXPIRES.minusMillis(1)));
        for (Rotation rotation : refused) {
            assertThat(store.rotate(rotation)).as("%s", rotation).isEqualTo(StepResult.refused(Optional.of(alice)));
        }
        assertThat(store.rotate(new Rotation("FamilyNoneAAAAAAAAAAAA", 0, valid.presentedHash(),
                valid.successorHash(), IDLE, Optional.empty(), T0))).isEqualTo(StepResult.refused(Optional.empty()));

        assertThat(store.revokeFamily(alice.id(), RevocationReason.LOGOUT, T0)).isTrue();
        FamilyRecord revoked = alice.revoked(new Revocation(T0, RevocationReason.LOGOUT));
        assertThat(store.rotate(valid)).isEqualTo(StepResult.refused(Optional.of(revoked)));
        assertThat(store.findFamily(alice.id())).contains(revoked);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a grace window hands out its successor up to its uses, for its previous token, until it closes")
    void aGraceWindowIsClaimedUpToItsUsesUntilItCloses(TestDatabases.Kind kind, boolean autoCommit) {
        FamilyRecord alice = openWithAlice(kind, autoCommit);
        Instant until = T0.plusSeconds(30);
        Rotation rotation = rotation(alice, T0, Optional.of(until));
        FamilyRecord rotated = store.rotate(rotation).record().orElseThrow();
        assertThat(rotated).isEqualTo(alice.rotated(rotation));
        String previous = alice.currentHash();

        StepResult first = store.claimGrace(alice.id(), previous, 2, T0.plusSeconds(1));
        StepResult second = store.claimGrace(alice.id(), previous, 2, T0.plusSeconds(2));
        StepResult third = store.claimGrace(alice.id(), previous, 2, T0.plusSeconds(3));

        assertThat(first).isEqualTo(StepResult.applied(rotated.graceUsed()));
        assertThat(first.record().orElseThrow().grace().orElseThrow().sealedSuccessor())
                .isEqualTo("sealed-" + rotation.successorHash());
        assertThat(second).isEqualTo(StepResult.applied(rotated.graceUsed().graceUsed()));
        assertThat(third).isEqualTo(StepResult.refused(Optional.of(rotated.graceUsed().graceUsed())));
        assertThat(store.claimGrace(alice.id(), previous, 5, until))
                .isEqualTo(StepResult.refused(Optional.of(rotated.graceUsed().graceUsed())));
        assertThat(store.claimGrace(alice.id(), rotation.successorHash(), 5, T0.plusSeconds(4)).applied()).isFalse();
        assertThat(store.claimGrace(alice.id(), previous, 5, until.minusMillis(1)).applied()).isTrue();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a slide moves only the idle expiry of the current token")
    void aSlideMovesOnlyTheIdleExpiry(TestDatabases.Kind kind, boolean autoCommit) {
        FamilyRecord alice = openWithAlice(kind, autoCommit);
        Instant later = IDLE.plus(Duration.ofHours(2));

        StepResult slid = store.slide(alice.id(), 0, alice.currentHash(), later, T0.plusSeconds(5));

        assertThat(slid).isEqualTo(StepResult.applied(alice.slid(later)));
        assertThat(store.slide(alice.id(), 0, hash("another"), later.plusSeconds(1), T0.plusSeconds(6)))
                .isEqualTo(StepResult.refused(Optional.of(alice.slid(later))));
        assertThat(store.slide(alice.id(), 1, alice.currentHash(), later.plusSeconds(1), T0.plusSeconds(6)))
                .isEqualTo(StepResult.refused(Optional.of(alice.slid(later))));
        assertThat(store.slide(alice.id(), 0, alice.currentHash(), later.plusSeconds(1), later))
                .isEqualTo(StepResult.refused(Optional.of(alice.slid(later))));
        assertThat(store.findFamily(alice.id())).contains(alice.slid(later));
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a revocation keeps the first one, drops the grace window and answers whether this call revoked")
    void aRevocationKeepsTheFirstAndDropsTheGraceWindow(TestDatabases.Kind kind, boolean autoCommit) {
        FamilyRecord alice = openWithAlice(kind, autoCommit);
        Rotation rotation = rotation(alice, T0, Optional.of(T0.plusSeconds(30)));
        FamilyRecord rotated = store.rotate(rotation).record().orElseThrow();

        assertThat(store.revokeFamily(alice.id(), RevocationReason.REUSE_DETECTED, T0.plusSeconds(1))).isTrue();
        assertThat(store.revokeFamily(alice.id(), RevocationReason.LOGOUT, T0.plusSeconds(2))).isFalse();
        assertThat(store.revokeFamily("FamilyNoneAAAAAAAAAAAA", RevocationReason.LOGOUT, T0)).isFalse();

        FamilyRecord revoked = rotated.revoked(new Revocation(T0.plusSeconds(1), RevocationReason.REUSE_DETECTED));
        assertThat(revoked.grace()).isEmpty();
        assertThat(store.findFamily(alice.id())).contains(revoked);
        assertThat(store.claimGrace(alice.id(), alice.currentHash(), 5, T0.plusSeconds(3)))
                .isEqualTo(StepResult.refused(Optional.of(revoked)));
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("the live families of a subject are its unrevoked families before their absolute expiry")
    void liveFamiliesAreTheUnrevokedUnexpiredFamiliesOfTheSubject(TestDatabases.Kind kind, boolean autoCommit) {
        open(kind, autoCommit);
        FamilyRecord one = first("FamilyOneAAAAAAAAAAAAA", "alice");
        FamilyRecord two = first("FamilyTwoAAAAAAAAAAAAA", "alice");
        FamilyRecord revoked = first("FamilyRevokedAAAAAAAAA", "alice");
        FamilyRecord bob = first("FamilyBobAAAAAAAAAAAAA", "bob");
        List.of(one, two, revoked, bob).forEach(store::createFamily);
        store.revokeFamily(revoked.id(), RevocationReason.LOGOUT, T0);

        assertThat(store.liveFamilies("alice", T0)).containsExactlyInAnyOrder(one, two);
        assertThat(store.liveFamilies("alice", EXPIRES.minusMillis(1))).containsExactlyInAnyOrder(one, two);
        assertThat(store.liveFamilies("alice", EXPIRES)).isEmpty();
        assertThat(store.liveFamilies("carol", T0)).isEmpty();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("one lookup answers whether a session is revoked or gone and whether a jti is denied")
    void oneLookupAnswersForTheSessionAndTheJti(TestDatabases.Kind kind, boolean autoCommit) {
        open(kind, autoCommit);
        FamilyRecord alice = first("FamilyAliceAAAAAAAAAAA", "alice");
        FamilyRecord bob = first("FamilyBobAAAAAAAAAAAAA", "bob");
        store.createFamily(alice);
        store.createFamily(bob);
        store.revokeFamily(bob.id(), RevocationReason.LOGOUT, T0);
        Instant denialEnds = T0.plus(Duration.ofMinutes(15));
        store.revokeAccessToken("jti-1", denialEnds);
        store.revokeAccessToken("jti-1", T0.plusSeconds(5));

        assertThat(store.revocationStatus(Optional.of(alice.id()), "jti-2", T0)).isEqualTo(RevocationStatus.NONE);
        assertThat(store.revocationStatus(Optional.of(alice.id()), "jti-1", T0))
                .isEqualTo(new RevocationStatus(false, true));
        assertThat(store.revocationStatus(Optional.of(bob.id()), "jti-2", T0))
                .isEqualTo(new RevocationStatus(true, false));
        assertThat(store.revocationStatus(Optional.of("FamilyGoneAAAAAAAAAAAA"), "jti-1", T0))
                .isEqualTo(new RevocationStatus(true, true));
        assertThat(store.revocationStatus(Optional.empty(), "jti-1", denialEnds.minusMillis(1)))
                .isEqualTo(new RevocationStatus(false, true));
        assertThat(store.revocationStatus(Optional.empty(), "jti-1", denialEnds)).isEqualTo(RevocationStatus.NONE);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a purge deletes expired families and denials and drops passed grace windows, within its batch")
    void aPurgeDeletesWhatCanNoLongerMatterWithinItsBatch(TestDatabases.Kind kind, boolean autoCommit)
            throws SQLException {
        open(kind, autoCommit);
        for (int i = 0; i < 5; i++) {
            store.createFamily(first("FamilyExpired" + i + "AAAAAAAA", "alice"));
            store.revokeAccessToken("expired-" + i, EXPIRES);
        }
        RefreshFamily longLived = new RefreshFamily("FamilyLongLivedAAAAAAA", "bob", "web", Set.of("openid"), "{}",
                T0, EXPIRES.plus(Duration.ofDays(1)));
        FamilyRecord live = FamilyRecord.first(longLived, hash("live"), IDLE);
        store.createFamily(live);
        Rotation rotation = new Rotation(live.id(), 0, live.currentHash(), hash("live/1"), IDLE.plusSeconds(1),
                Optional.of(new GraceWindow(live.currentHash(), "sealed", T0.plusSeconds(30), 0)), T0);
        store.rotate(rotation);
        store.revokeAccessToken("live", EXPIRES.plus(Duration.ofDays(1)));

        assertThat(store.purgeExpired(T0.plusSeconds(29), 100)).isZero();
        assertThat(store.purgeExpired(EXPIRES, 4)).isEqualTo(4);
        assertThat(store.purgeExpired(EXPIRES, 100)).isEqualTo(5 + 1 + 1);
        assertThat(store.purgeExpired(EXPIRES, 100)).isZero();

        assertThat(store.findFamily(live.id())).contains(live.rotated(rotation).withoutGrace());
        assertThat(TestDatabases.rowCount(pool, prefix + "family")).isOne();
        assertThat(TestDatabases.rowCount(pool, prefix + "denied_jti")).isOne();
        assertThat(store.revocationStatus(Optional.of(live.id()), "live", EXPIRES))
                .isEqualTo(new RevocationStatus(false, true));
    }
}
