package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.RefreshRotation;
import dev.jeton.RevocationReason;
import dev.jeton.Session;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A commit whose answer is lost: the database committed, then the connection failed before the driver heard so
 * (SQLState 08006). The store looks on a fresh connection for what the transaction wrote and answers with the real
 * outcome, so the client's retry is never taken as reuse; when it cannot look, it says that the outcome is unknown
 * rather than "nothing was consumed".
 */
class LostCommitAnswerTest {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.HS256);

    private final TestClock clock = TestClock.fixed();
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private InterceptingDataSource faulty;
    private DataSource pool;
    private String prefix;

    private TokenService service(TestDatabases.Kind kind, UnaryOperator<TokenService.Builder> options) {
        pool = TestDatabases.pool(kind);
        prefix = TestDatabases.uniquePrefix();
        faulty = new InterceptingDataSource(pool);
        JdbcTokenStore store = JdbcTokenStore.builder(faulty).tablePrefix(prefix).createSchemaIfMissing(true).build();
        return options.apply(TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).store(store).eventListener(events::add)).build();
    }

    private TokenService service(TestDatabases.Kind kind) {
        return service(kind, b -> b);
    }

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    /** The next commit really happens; then its answer is lost. */
    private void loseTheAnswerOfTheNextCommit() {
        faulty.afterCommit = (connection, sql) -> {
            faulty.afterCommit = (c, s) -> { };
            injected.incrementAndGet();
            throw connectionLost("after the commit");
        };
    }

    /** The next commit is never sent: the transaction is rolled back and the connection reported lost. */
    private void loseTheNextCommitBeforeItIsSent() {
        faulty.beforeCommit = (connection, sql) -> {
            faulty.beforeCommit = (c, s) -> { };
            injected.incrementAndGet();
            connection.rollback();
            throw connectionLost("before the commit");
        };
    }

    private static SQLException connectionLost(String when) {
        return new SQLNonTransientConnectionException("injected: connection lost " + when, "08006");
    }

    private static TokenPair login(TokenService tokens, String subject) {
        return tokens.issue(IssueRequest.forSubject(subject).client("web").build());
    }

    private static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    private List<TokenEvent> revocations() {
        return events.stream().filter(e -> e instanceof TokenEvent.ReuseDetected || e instanceof TokenEvent.Revoked)
                .toList();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a rotation whose commit answer is lost returns the successor, which works; nothing is revoked")
    void aRotationWhoseCommitAnswerIsLostReturnsTheSuccessorAndRevokesNothing(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair first = login(tokens, "alice");

        loseTheAnswerOfTheNextCommit();
        TokenPair next = tokens.refresh(refreshOf(first));

        assertThat(injected).hasValue(1);
        assertThat(next.refreshToken()).isPresent().isNotEqualTo(first.refreshToken());
        assertThat(tokens.validate(next.accessToken()).subject()).isEqualTo("alice");
        TokenPair after = tokens.refresh(refreshOf(next));
        assertThat(after.sessionId()).isEqualTo(first.sessionId());
        assertThat(revocations()).isEmpty();
        assertThat(tokens.sessions("alice")).extracting(Session::id).containsExactly(first.sessionId().orElseThrow());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a rotation whose commit was never sent is reported as nothing consumed, and the token still works")
    void aRotationWhoseCommitWasNeverSentConsumedNothing(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair first = login(tokens, "bob");

        loseTheNextCommitBeforeItIsSent();
        TokenStoreException failure = catchThrowableOfType(TokenStoreException.class,
                () -> tokens.refresh(refreshOf(first)));

        assertThat(injected).hasValue(1);
        assertThat(failure.outcomeUnknown()).isFalse();
        assertThat(failure).hasMessageContaining("found nothing written")
                .hasMessageNotContaining(first.refreshToken().orElseThrow());
        assertThat(tokens.refresh(refreshOf(first)).refreshToken()).isPresent();
        assertThat(revocations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a check that finds the session locked by another transaction tries again rather than answering")
    void aCheckThatFindsTheSessionLockedTriesAgainRatherThanAnswering(TestDatabases.Kind kind) throws SQLException {
        TokenService tokens = service(kind);
        TokenPair first = login(tokens, "hana");
        AtomicInteger lockAttempts = new AtomicInteger();
        try (Connection holder = pool.getConnection()) {
            holder.setAutoCommit(false);
            faulty.afterCommit = (connection, sql) -> {
                faulty.afterCommit = (c, s) -> { };
                // Another transaction holds the session's row, as one still committing would.
                try (PreparedStatement lock = holder.prepareStatement(
                        "SELECT id FROM " + prefix + "family WHERE id = ? FOR UPDATE")) {
                    lock.setString(1, first.sessionId().orElseThrow());
                    lock.executeQuery().close();
                }
                faulty.beforeExecute = (c, s) -> {
                    if (s.contains("NOWAIT") && lockAttempts.incrementAndGet() == 2) {
                        holder.commit();
                    }
                };
                injected.incrementAndGet();
                throw connectionLost("after the commit");
            };
            TokenPair next = tokens.refresh(refreshOf(first));

            assertThat(injected).hasValue(1);
            assertThat(lockAttempts).hasValue(2);
            assertThat(tokens.refresh(refreshOf(next)).refreshToken()).isPresent();
            assertThat(revocations()).isEmpty();
        } finally {
            faulty.beforeExecute = (c, s) -> { };
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("when the lost commit cannot be checked either, the failure says the outcome is unknown")
    void whenTheCheckFailsTooTheFailureSaysTheOutcomeIsUnknown(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair first = login(tokens, "carol");

        faulty.afterCommit = (connection, sql) -> {
            faulty.afterCommit = (c, s) -> { };
            faulty.beforeExecute = (c, s) -> {
                injected.incrementAndGet();
                throw connectionLost("while checking");
            };
            throw connectionLost("after the commit");
        };
        TokenStoreException failure = catchThrowableOfType(TokenStoreException.class,
                () -> tokens.refresh(refreshOf(first)));
        faulty.beforeExecute = (c, s) -> { };

        assertThat(injected.get()).isPositive();
        assertThat(failure.outcomeUnknown()).isTrue();
        assertThat(failure.retryable()).isTrue();
        assertThat(failure).hasMessageContaining("outcome is unknown")
                .hasMessageNotContaining(first.refreshToken().orElseThrow());
        assertThat(revocations()).isEmpty();
        assertThat(tokens.sessions("carol")).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a grace-window replay whose commit answer is lost gets the same successor")
    void aGraceReplayWhoseCommitAnswerIsLostGetsTheSameSuccessor(TestDatabases.Kind kind) {
        TokenService tokens = service(kind, b -> b.reuseGrace(Duration.ofSeconds(10)).reuseGraceUses(2));
        TokenPair first = login(tokens, "dave");
        TokenPair next = tokens.refresh(refreshOf(first));

        loseTheAnswerOfTheNextCommit();
        TokenPair replayed = tokens.refresh(refreshOf(first));

        assertThat(injected).hasValue(1);
        assertThat(replayed.refreshToken()).isEqualTo(next.refreshToken());
        assertThat(tokens.refresh(refreshOf(replayed)).refreshToken()).isPresent();
        assertThat(revocations()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("in REUSE mode a slide whose commit answer is lost returns the same, still usable token")
    void aSlideWhoseCommitAnswerIsLostReturnsTheSameToken(TestDatabases.Kind kind) {
        TokenService tokens = service(kind, b -> b.rotation(RefreshRotation.REUSE));
        TokenPair first = login(tokens, "erin");

        loseTheAnswerOfTheNextCommit();
        TokenPair next = tokens.refresh(refreshOf(first));

        assertThat(injected).hasValue(1);
        assertThat(next.refreshToken()).isEqualTo(first.refreshToken());
        assertThat(tokens.refresh(refreshOf(next)).refreshToken()).isEqualTo(first.refreshToken());
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a login whose commit answer is lost returns its pair, which works, and one session")
    void aLoginWhoseCommitAnswerIsLostReturnsAWorkingPair(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);

        loseTheAnswerOfTheNextCommit();
        TokenPair pair = login(tokens, "fay");

        assertThat(injected).hasValue(1);
        assertThat(tokens.sessions("fay")).extracting(Session::id).containsExactly(pair.sessionId().orElseThrow());
        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a revocation whose commit answer is lost reports the session revoked, once")
    void aRevocationWhoseCommitAnswerIsLostReportsItDone(TestDatabases.Kind kind) {
        TokenService tokens = service(kind);
        TokenPair pair = login(tokens, "gus");
        String sessionId = pair.sessionId().orElseThrow();

        loseTheAnswerOfTheNextCommit();
        boolean revoked = tokens.revokeSession("gus", sessionId);

        assertThat(injected).hasValue(1);
        assertThat(revoked).isTrue();
        assertThat(revocations()).singleElement().isInstanceOfSatisfying(TokenEvent.Revoked.class,
                event -> assertThat(event.reason()).isEqualTo(RevocationReason.SESSION_REVOKED));
        assertThat(tokens.sessions("gus")).isEmpty();
        assertThat(tokens.revokeSession("gus", sessionId)).isFalse();
    }
}
