package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.InvalidGrantException;
import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A refresh whose database answer is lost: after the rotation applied, the service still hands out the successor
 * (a retry would otherwise be taken as reuse and revoke the login); before it reached the database, nothing changed;
 * when even the check fails, the error says the outcome is unknown. And the round trips each operation costs, per
 * database and commit mode, counted at the JDBC calls.
 */
class FaultsAndRoundTripsIT {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.HS256);
    private static final String ROTATION = "SET generation = generation + 1";

    private final TestClock clock = TestClock.fixed();
    private final List<TokenEvent> events = new CopyOnWriteArrayList<>();
    private DataSource pool;
    private InterceptingDataSource intercepting;
    private String prefix;

    static Stream<Arguments> databases() {
        return Stream.of(TestDatabases.Kind.values())
                .flatMap(kind -> Stream.of(Arguments.of(kind, true), Arguments.of(kind, false)));
    }

    /** A service whose store goes through {@link #intercepting}, on fresh tables. */
    private TokenService service(TestDatabases.Kind kind, boolean autoCommit) {
        pool = TestDatabases.pool(kind, autoCommit);
        intercepting = new InterceptingDataSource(pool);
        prefix = TestDatabases.uniquePrefix();
        JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).revocationAwareValidation(Duration.ZERO)
                .eventListener(events::add)
                .store(JdbcTokenStore.builder(intercepting).tablePrefix(prefix).build()).build();
    }

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    private static RefreshRequest refreshOf(TokenPair pair) {
        return RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build();
    }

    /** Throws once, after the rotation really ran: at its statement in autocommit, else at its commit. */
    private static InterceptingDataSource.Hook loseTheAnswerOfTheRotation(InterceptingDataSource faulty,
                                                                          boolean autoCommit) {
        boolean[] rotated = new boolean[1];
        return (connection, sql) -> {
            rotated[0] |= sql.contains(ROTATION);
            if (rotated[0] && (autoCommit || sql.equals("COMMIT"))) {
                faulty.afterExecute = (c, s) -> { };
                throw InterceptingDataSource.connectionLost();
            }
        };
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a rotation whose answer is lost after it applied hands out the successor, and no reuse is seen")
    void aRotationWhoseAnswerIsLostAfterItAppliedHandsOutTheSuccessor(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit);
        InterceptingDataSource faulty = intercepting;
        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());

        faulty.afterExecute = loseTheAnswerOfTheRotation(faulty, autoCommit);
        TokenPair next = tokens.refresh(refreshOf(pair));

        assertThat(faulty.calls).anyMatch(call -> call.contains(ROTATION));
        assertThat(tokens.validate(next.accessToken()).subject()).isEqualTo("alice");
        TokenPair after = tokens.refresh(refreshOf(next));
        assertThat(after.refreshToken()).isPresent();
        assertThat(events).noneMatch(TokenEvent.ReuseDetected.class::isInstance);
        // The lost rotation did apply: the token it replaced is now a replay.
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair))).isInstanceOf(InvalidGrantException.class)
                .extracting(e -> ((InvalidGrantException) e).reason()).isEqualTo(InvalidGrantException.Reason.REUSED);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a rotation lost before it reached the database changed nothing: retryable, the token still works")
    void aRotationLostBeforeItRanChangesNothing(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit);
        InterceptingDataSource faulty = intercepting;
        TokenPair pair = tokens.issue(IssueRequest.forSubject("bob").client("web").build());

        faulty.beforeExecute = (connection, sql) -> {
            if (sql.contains(ROTATION)) {
                faulty.beforeExecute = (c, s) -> { };
                throw InterceptingDataSource.connectionLost();
            }
        };
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair)))
                .isInstanceOfSatisfying(TokenStoreException.class, e -> assertThat(e.outcomeUnknown()).isFalse())
                .hasMessageContaining("nothing changed")
                .hasMessageNotContaining(pair.refreshToken().orElseThrow());

        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
        assertThat(events).noneMatch(TokenEvent.ReuseDetected.class::isInstance);
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("a rotation whose answer is lost and whose check fails too reports that its outcome is unknown")
    void whenTheCheckFailsTooTheOutcomeIsUnknown(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit);
        InterceptingDataSource faulty = intercepting;
        TokenPair pair = tokens.issue(IssueRequest.forSubject("carol").client("web").build());
        String lockingRead = kind == TestDatabases.Kind.MARIADB ? "LOCK IN SHARE MODE"
                : kind == TestDatabases.Kind.H2 ? "FOR UPDATE" : "FOR SHARE";

        faulty.afterExecute = loseTheAnswerOfTheRotation(faulty, autoCommit);
        faulty.beforeExecute = (connection, sql) -> {
            if (sql.endsWith(lockingRead)) {
                throw InterceptingDataSource.connectionLost();
            }
        };
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair)))
                .isInstanceOfSatisfying(TokenStoreException.class, e -> assertThat(e.outcomeUnknown()).isTrue())
                .hasMessageContaining("the outcome is unknown")
                .hasMessageNotContaining(pair.refreshToken().orElseThrow());
        assertThat(events).noneMatch(TokenEvent.ReuseDetected.class::isInstance);
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "POSTGRESQL")
    @DisplayName("a connection terminated by the server just before the rotation changes nothing; the next call works")
    void connectionTerminatedByTheServerBeforeTheRotation(TestDatabases.Kind kind) {
        TokenService tokens = service(kind, true);
        InterceptingDataSource faulty = intercepting;
        TokenPair pair = tokens.issue(IssueRequest.forSubject("dave").client("web").build());

        faulty.beforeExecute = (connection, sql) -> {
            if (sql.contains(ROTATION)) {
                faulty.beforeExecute = (c, s) -> { };
                try (Statement kill = connection.createStatement()) {
                    kill.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                } catch (SQLException expected) {
                    // The server ends the session that asked: the rotation's own connection is now dead.
                }
            }
        };
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair))).isInstanceOf(TokenStoreException.class)
                .hasMessageContaining("nothing changed");

        assertThat(tokens.refresh(refreshOf(pair)).refreshToken()).isPresent();
    }

    @ParameterizedTest(name = "{0}, autocommit {1}")
    @MethodSource("databases")
    @DisplayName("round trips: a refresh is 1 on PostgreSQL and H2 and 2 on MariaDB, plus a COMMIT without autocommit")
    void roundTripsPerOperation(TestDatabases.Kind kind, boolean autoCommit) {
        TokenService tokens = service(kind, autoCommit);
        InterceptingDataSource counting = intercepting;
        List<String> commit = autoCommit ? List.of() : List.of("COMMIT");

        counting.calls.clear();
        TokenPair pair = tokens.issue(IssueRequest.forSubject("erin").client("web").build());
        List<String> issue = List.copyOf(counting.calls);

        counting.calls.clear();
        TokenPair next = tokens.refresh(refreshOf(pair));
        List<String> refresh = List.copyOf(counting.calls);

        counting.calls.clear();
        tokens.revoke(next.refreshToken().orElseThrow());
        List<String> revocation = List.copyOf(counting.calls);

        JdbcTokenStore store = JdbcTokenStore.builder(counting).tablePrefix(prefix).build();
        counting.calls.clear();
        store.revokeAccessToken(next.accessTokenId(), next.expiresAt());
        List<String> denial = List.copyOf(counting.calls);

        counting.calls.clear();
        store.revocationStatus(next.sessionId(), next.accessTokenId(), clock.instant());
        List<String> revocationStatus = List.copyOf(counting.calls);

        assertThat(issue).hasSize(1 + commit.size()).first().asString().startsWith("INSERT");
        if (kind == TestDatabases.Kind.MARIADB) {
            assertThat(refresh).hasSize(2 + commit.size());
            assertThat(refresh.get(0)).startsWith("UPDATE").contains(ROTATION).doesNotContain("RETURNING");
            assertThat(refresh.get(1)).startsWith("SELECT").endsWith("WHERE id = ?");
        } else {
            assertThat(refresh).hasSize(1 + commit.size());
            assertThat(refresh.get(0)).contains(ROTATION)
                    .contains(kind == TestDatabases.Kind.H2 ? "FROM FINAL TABLE (UPDATE" : "RETURNING");
        }
        assertThat(refresh.subList(refresh.size() - commit.size(), refresh.size())).isEqualTo(commit);
        assertThat(denial).hasSize(1 + commit.size()).first().asString().contains("denied_jti");
        // revoke(refresh token): the family by primary key, then one conditional UPDATE.
        assertThat(revocation).hasSize(2 * (1 + commit.size()));
        assertThat(revocationStatus).hasSize(1 + commit.size()).first().asString().contains("UNION ALL");
        assertThat(List.of(issue, refresh, denial, revocation, revocationStatus)).allSatisfy(calls -> assertThat(calls)
                .noneMatch(call -> call.startsWith("SETAUTOCOMMIT") || call.startsWith("ROLLBACK")));
    }
}
