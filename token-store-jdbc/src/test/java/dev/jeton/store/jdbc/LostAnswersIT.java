package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every step but the rotation (which {@link FaultsAndRoundTripsIT} covers) with its answer lost: the login, a grace
 * claim, a slide in {@code REUSE} mode and a revocation, each on H2, PostgreSQL and MariaDB in both commit modes. A
 * step that applied is settled as applied, so the caller gets what it asked for and its retry meets no reuse; a step
 * lost before it ran changed nothing and says so.
 */
class LostAnswersIT {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.HS256);
    private static final String LOGIN = "INSERT INTO ";
    private static final String GRACE_CLAIM = "SET grace_uses = grace_uses + 1";
    private static final String SLIDE = "SET idle_expires_at = ?";
    private static final String REVOCATION = "SET revoked_at = ?";

    private final TestClock clock = TestClock.fixed();
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();
    private DataSource pool;
    private InterceptingDataSource faulty;
    private String prefix;
    /** Whether the injected failure really happened. */
    private volatile boolean injected;

    static Stream<Arguments> databases() {
        return Stream.of(TestDatabases.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, true), Arguments.of(kind, false)));
    }

    private TokenService service(TestDatabases.Kind kind, boolean autoCommit,
                                 UnaryOperator<TokenService.Builder> options) {
        pool = TestDatabases.pool(kind, autoCommit);
        faulty = new InterceptingDataSource(pool);
        prefix = TestDatabases.uniquePrefix();
        JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        return options.apply(TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).eventListener(events::add)
                .store(JdbcTokenStore.builder(faulty).tablePrefix(prefix).build())).build();
    }

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    /** Throws once, after the statement holding {@code marker} really ran: at it in autocommit, else at its commit. */
    private void loseTheAnswerOf(String marker, boolean autoCommit) {
        boolean[] ran = new boolean[1];
        faulty.afterExecute = (connection, sql) -> {
            ran[0] |= sql.contains(marker);
            if (ran[0] && (autoCommit || sql.equals("COMMIT"))) {
                faulty.afterExecute = (c, s) -> { };
                injected = true;
                throw InterceptingDataSource.connectionLost();
            }
        };
    }

    /** Throws once, before the statement holding {@code marker} reaches the database. */
    private void breakBefore(String marker) {
        faulty.beforeExecute = (connection, sql) -> {
            if (sql.contains(marker)) {
                faulty.beforeExecute = (c, s) -> { };
                injected = true;
                throw InterceptingDataSource.connectionLost();
            }
        };
    }

    private static RefreshRequest refreshOf(String refreshToken) {
        return RefreshRequest.of(refreshToken).client("web").build();
    }

    private static IssueRequest login(String subject) {
        return IssueRequest.forSubject(subject).client("web").build();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a login whose answer is lost after its row was written issues its tokens, and they work")
    void aLoginLostAfterItAppliedIssues(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit, b -> b);
        loseTheAnswerOf(LOGIN, autoCommit);

        TokenPair pair = tokens.issue(login("alice"));

        assertThat(injected).as("the answer was lost").isTrue();
        assertThat(tokens.sessions("alice")).hasSize(1);
        assertThat(tokens.refresh(refreshOf(pair.refreshToken().orElseThrow())).refreshToken()).isPresent();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a login lost before its row was written fails as nothing changed and leaves no session")
    void aLoginLostBeforeItRanLeavesNoSession(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit, b -> b);
        breakBefore(LOGIN);

        assertThatThrownBy(() -> tokens.issue(login("bob")))
                .isInstanceOfSatisfying(TokenStoreException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
                .hasMessageContaining("nothing changed");
        assertThat(tokens.sessions("bob")).isEmpty();
        assertThat(events).noneMatch(TokenEvent.Issued.class::isInstance);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a grace replay whose claim is lost after it counted gets the same successor, and no reuse is seen")
    void aGraceClaimLostAfterItAppliedGetsTheSameSuccessor(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit, b -> b.reuseGrace(Duration.ofSeconds(10)));
        String first = tokens.issue(login("carol")).refreshToken().orElseThrow();
        String successor = tokens.refresh(refreshOf(first)).refreshToken().orElseThrow();
        loseTheAnswerOf(GRACE_CLAIM, autoCommit);

        TokenPair replay = tokens.refresh(refreshOf(first));

        assertThat(injected).as("the answer was lost").isTrue();
        assertThat(replay.refreshToken()).contains(successor);
        assertThat(events).noneMatch(TokenEvent.ReuseDetected.class::isInstance);
        // The one use the window allows was taken by the lost claim: a second replay is reuse.
        assertThatThrownBy(() -> tokens.refresh(refreshOf(first)))
                .isInstanceOfSatisfying(InvalidGrantException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidGrantException.Reason.REUSED));
        assertThat(events).anyMatch(TokenEvent.ReuseDetected.class::isInstance);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a REUSE-mode refresh whose slide is lost after it applied answers, and the idle expiry did slide")
    void aSlideLostAfterItAppliedAnswers(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit,
                b -> b.rotation(RefreshRotation.REUSE).refreshTokenIdleTtl(Duration.ofMinutes(10)));
        String token = tokens.issue(login("dave")).refreshToken().orElseThrow();
        clock.advance(Duration.ofMinutes(8));
        loseTheAnswerOf(SLIDE, autoCommit);

        assertThat(tokens.refresh(refreshOf(token)).refreshToken()).contains(token);
        assertThat(injected).as("the answer was lost").isTrue();

        // 16 minutes after the login, 8 after the slide: alive only because the lost slide applied.
        clock.advance(Duration.ofMinutes(8));
        assertThat(tokens.refresh(refreshOf(token)).refreshToken()).contains(token);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a session revocation whose answer is lost after it applied reports the revocation, which holds")
    void aRevocationLostAfterItAppliedReportsIt(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit, b -> b);
        TokenPair pair = tokens.issue(login("erin"));
        String sessionId = tokens.sessions("erin").get(0).id();
        loseTheAnswerOf(REVOCATION, autoCommit);

        assertThat(tokens.revokeSession("erin", sessionId)).isTrue();
        assertThat(injected).as("the answer was lost").isTrue();

        assertThat(tokens.sessions("erin")).isEmpty();
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair.refreshToken().orElseThrow())))
                .isInstanceOfSatisfying(InvalidGrantException.class,
                        e -> assertThat(e.reason()).isEqualTo(InvalidGrantException.Reason.REVOKED));
        assertThat(events).anyMatch(TokenEvent.Revoked.class::isInstance);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a session revocation lost before it ran fails as nothing changed, and the session still works")
    void aRevocationLostBeforeItRanChangesNothing(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit, b -> b);
        TokenPair pair = tokens.issue(login("frank"));
        String sessionId = tokens.sessions("frank").get(0).id();
        breakBefore(REVOCATION);

        assertThatThrownBy(() -> tokens.revokeSession("frank", sessionId))
                .isInstanceOfSatisfying(TokenStoreException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
                .hasMessageContaining("nothing changed");
        assertThat(tokens.refresh(refreshOf(pair.refreshToken().orElseThrow())).refreshToken()).isPresent();
    }
}
