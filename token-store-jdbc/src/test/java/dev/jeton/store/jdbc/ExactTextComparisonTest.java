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
import dev.jeton.store.RefreshFamily;
import dev.jeton.store.RefreshTokenRecord;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every text the store compares (subjects, hashes, session ids, {@code jti}s) matches only itself, byte for byte: not
 * with a trailing space added (MySQL's and MariaDB's PAD SPACE collations, SQL {@code CHAR} columns), not in another
 * case.
 */
class ExactTextComparisonTest {

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

    /** The value with a trailing space, upper-cased and lower-cased, leaving out any equal to it. */
    private static List<String> variantsOf(String value) {
        return Stream.of(value + " ", value.toUpperCase(Locale.ROOT), value.toLowerCase(Locale.ROOT))
                .filter(variant -> !variant.equals(value)).toList();
    }

    private static void assertStillLoggedIn(TokenService tokens, TokenPair pair) {
        assertThat(tokens.sessions("alice")).extracting(Session::id).containsExactly(pair.sessionId().orElseThrow());
        assertThat(tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build())
                .refreshToken()).isPresent();
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
        for (String id : variantsOf(sessionId)) {
            assertThat(tokens.revokeSession("alice", id)).as("revokeSession(alice, \"%s\")", id).isFalse();
            assertThat(store.findFamily(id)).as("findFamily(\"%s\")", id).isEmpty();
        }
        assertStillLoggedIn(tokens, alice);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a token hash or a jti differing only by case or a trailing space is not found")
    void hashesAndJtisDifferingOnlyByCaseOrATrailingSpaceAreNotFound(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        Instant now = clock.instant();
        String hash = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_aBcDe";
        String familyId = "FamilyId0123456789aBc";
        store.createFamily(new RefreshFamily(familyId, "bob", "web", Set.of("openid"), Map.of(), now,
                        now.plus(Duration.ofDays(1)), Optional.empty(), Optional.empty()),
                RefreshTokenRecord.active(hash, familyId, Optional.empty(), now, now.plus(Duration.ofHours(1))));
        TokenPair pair = login(tokens, "carol");
        tokens.revoke(pair.accessToken());
        String jti = pair.accessTokenId();

        assertThat(store.findToken(hash)).isPresent();
        for (String other : variantsOf(hash)) {
            assertThat(store.findToken(other)).as("findToken(\"%s\")", other).isEmpty();
        }
        assertThat(store.findFamily(familyId)).isPresent();
        for (String other : variantsOf(familyId)) {
            assertThat(store.findFamily(other)).as("findFamily(\"%s\")", other).isEmpty();
        }
        assertThat(store.isAccessTokenRevoked(jti, now)).isTrue();
        for (String other : variantsOf(jti)) {
            assertThat(store.isAccessTokenRevoked(other, now)).as("isAccessTokenRevoked(\"%s\")", other).isFalse();
        }
    }
}
