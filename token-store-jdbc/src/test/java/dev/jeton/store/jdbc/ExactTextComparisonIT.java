package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.Session;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.FamilyRecord;
import dev.jeton.store.GraceWindow;
import dev.jeton.store.RevocationStatus;
import dev.jeton.store.Rotation;
import dev.jeton.store.StepResult;
import dev.jeton.testing.TestClock;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every text the store compares (subjects, hashes, session ids, {@code jti}s) matches only itself, byte for byte: not
 * with a trailing space added (MySQL's and MariaDB's PAD SPACE collations, SQL {@code CHAR} columns), not in another
 * case.
 */
class ExactTextComparisonIT {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.HS256);
    private static final List<String> NOT_ALICE = List.of("alice ", "alice  ", "ALICE", "Alice", " alice");

    private final TestClock clock = TestClock.fixed();
    private DataSource pool;
    private String prefix;
    private JdbcTokenStore store;

    private TokenService service(TestDatabases.Kind kind) {
        pool = TestDatabases.pool(kind);
        prefix = TestDatabases.uniquePrefix();
        store = JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).store(store).build();
    }

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    private static TokenPair login(TokenService tokens, String subject) {
        return tokens.issue(IssueRequest.forSubject(subject).client("web").build());
    }

    private static void assertStillLoggedIn(TokenService tokens, TokenPair pair) {
        assertThat(tokens.sessions("alice")).extracting(Session::id).containsExactly(pair.sessionId().orElseThrow());
        assertThat(tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build())
                .refreshToken()).isPresent();
    }

    private static List<String> variants(String text) {
        return List.of(text + " ", text.toUpperCase(), text.toLowerCase()).stream().filter(v -> !v.equals(text))
                .toList();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("sessions and revokeAll of 'alice ' or 'ALICE' neither list nor end alice's sessions")
    void sessionsAndRevokeAllOfAPaddedOrRecasedSubjectTouchNothingOfAlice(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair alice = login(tokens, "alice");

        for (String other : NOT_ALICE) {
            assertThat(tokens.sessions(other)).as("sessions(\"%s\")", other).isEmpty();
            assertThat(tokens.revokeAll(other)).as("revokeAll(\"%s\")", other).isZero();
            assertThat(store.liveFamilies(other, clock.instant())).as("liveFamilies(\"%s\")", other).isEmpty();
        }
        assertStillLoggedIn(tokens, alice);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("revokeSession with 'alice ', 'ALICE', or a padded or recased session id ends nothing")
    void revokeSessionWithAPaddedOrRecasedSubjectOrSessionIdEndsNothing(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair alice = login(tokens, "alice");
        String sessionId = alice.sessionId().orElseThrow();

        for (String other : NOT_ALICE) {
            assertThat(tokens.revokeSession(other, sessionId)).as("revokeSession(\"%s\", id)", other).isFalse();
        }
        for (String id : variants(sessionId)) {
            assertThat(tokens.revokeSession("alice", id)).as("revokeSession(alice, \"%s\")", id).isFalse();
            assertThat(store.findFamily(id)).as("findFamily(\"%s\")", id).isEmpty();
            assertThat(store.revokeFamily(id, dev.jeton.RevocationReason.LOGOUT, clock.instant()))
                    .as("revokeFamily(\"%s\")", id).isFalse();
        }
        assertStillLoggedIn(tokens, alice);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a hash differing only by case or a trailing space neither rotates, slides nor claims a grace use")
    void hashesDifferingOnlyByCaseOrATrailingSpaceMatchNothing(TestDatabases.Kind kind) {
        service(kind);
        Instant now = clock.instant();
        FamilyRecord bob = JdbcTokenStoreStepsIT.first("FamilyBobAAAAAAAAAAAAA", "bob");
        store.createFamily(bob);
        String current = bob.currentHash();
        String successor = JdbcTokenStoreStepsIT.hash("bob/1");

        for (String other : variants(current)) {
            Rotation rotation = new Rotation(bob.id(), 0, other, successor, now.plusSeconds(60),
                    Optional.of(new GraceWindow(other, "sealed", now.plusSeconds(30), 0)), now);
            assertThat(store.rotate(rotation)).as("rotate(\"%s\")", other)
                    .isEqualTo(StepResult.refused(Optional.of(bob)));
            assertThat(store.slide(bob.id(), 0, other, now.plusSeconds(60), now)).as("slide(\"%s\")", other)
                    .isEqualTo(StepResult.refused(Optional.of(bob)));
        }
        Rotation rotation = new Rotation(bob.id(), 0, current, successor, now.plusSeconds(60),
                Optional.of(new GraceWindow(current, "sealed", now.plusSeconds(30), 0)), now);
        FamilyRecord rotated = store.rotate(rotation).record().orElseThrow();
        for (String other : variants(current)) {
            assertThat(store.claimGrace(bob.id(), other, 5, now)).as("claimGrace(\"%s\")", other)
                    .isEqualTo(StepResult.refused(Optional.of(rotated)));
        }
        assertThat(store.claimGrace(bob.id(), current, 5, now).applied()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a jti differing only by case or a trailing space is not denied")
    void aJtiDifferingOnlyByCaseOrATrailingSpaceIsNotDenied(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair carol = login(tokens, "carol");
        tokens.revoke(carol.accessToken());
        String jti = carol.accessTokenId();
        Instant now = clock.instant();

        assertThat(store.revocationStatus(carol.sessionId(), jti, now)).isEqualTo(new RevocationStatus(false, true));
        for (String other : variants(jti)) {
            assertThat(store.revocationStatus(carol.sessionId(), other, now)).as("revocationStatus(\"%s\")", other)
                    .isEqualTo(RevocationStatus.NONE);
        }
        for (String id : variants(carol.sessionId().orElseThrow())) {
            assertThat(store.revocationStatus(Optional.of(id), "none", now)).as("a session id \"%s\"", id)
                    .isEqualTo(new RevocationStatus(true, false));
        }
    }

    @Test
    @DisplayName("on a MariaDB table left with PAD SPACE collations, lookups still answer exactly (checked in Java)")
    void lookupsAnswerExactlyEvenOnATableWithPaddingCollations() throws SQLException {
        TokenService tokens = service(TestDatabases.Kind.MARIADB);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE " + prefix + "family MODIFY id VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin"
                    + " NOT NULL, MODIFY subject VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL");
            s.execute("ALTER TABLE " + prefix + "denied_jti MODIFY jti VARCHAR(64) CHARACTER SET ascii"
                    + " COLLATE ascii_bin NOT NULL");
        }
        TokenPair alice = login(tokens, "alice");
        tokens.revoke(alice.accessToken());
        String id = alice.sessionId().orElseThrow();
        Instant now = clock.instant();

        assertThat(store.liveFamilies("alice ", now)).isEmpty();
        assertThat(tokens.sessions("alice ")).isEmpty();
        assertThat(store.findFamily(id + " ")).isEmpty();
        assertThat(store.revocationStatus(Optional.of(id + " "), alice.accessTokenId() + " ", now))
                .isEqualTo(new RevocationStatus(true, false));
        assertThat(store.liveFamilies("alice", now)).extracting(FamilyRecord::id).containsExactly(id);
    }
}
