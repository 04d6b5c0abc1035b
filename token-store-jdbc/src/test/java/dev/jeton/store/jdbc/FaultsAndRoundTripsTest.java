package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.TokenStoreException;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A connection that fails in the middle of a rotation rolls back and consumes nothing; and a rotation costs four round
 * trips.
 */
class FaultsAndRoundTripsTest {

    private static final JwtKey KEY = JwtKey.generate("k", JwsAlgorithm.HS256);

    private final TestClock clock = TestClock.fixed();
    private DataSource pool;
    private String prefix;

    private TokenService service(DataSource dataSource, TestDatabases.Kind kind) {
        pool = TestDatabases.pool(kind);
        prefix = TestDatabases.uniquePrefix();
        JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build();
        return TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(KEY)).clock(clock).revocationAwareValidation(Duration.ZERO)
                .store(JdbcTokenStore.builder(dataSource).tablePrefix(prefix).build()).build();
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

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("a statement failing in the middle of a rotation rolls back and leaves the token usable")
    void failureAtTheSuccessorInsertRollsBackTheClaim(TestDatabases.Kind kind) {
        InterceptingDataSource faulty = new InterceptingDataSource(TestDatabases.pool(kind));
        TokenService tokens = service(faulty, kind);
        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());

        faulty.beforeExecute = (connection, sql) -> {
            if (sql.startsWith("INSERT INTO " + prefix + "token")) {
                faulty.beforeExecute = (c, s) -> { };
                throw new SQLTransientConnectionException("injected: connection lost", "08006");
            }
        };
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair)))
                .isInstanceOf(TokenStoreException.class)
                .hasMessageNotContaining(pair.refreshToken().orElseThrow());
        assertThat(faulty.calls).contains("ROLLBACK");

        TokenPair next = tokens.refresh(refreshOf(pair));
        assertThat(tokens.validate(next.accessToken()).subject()).isEqualTo("alice");
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "POSTGRESQL")
    @DisplayName("a connection terminated by the server mid-rotation rolls back; the next call works")
    void connectionTerminatedByTheServerMidRotation(TestDatabases.Kind kind) {
        InterceptingDataSource faulty = new InterceptingDataSource(TestDatabases.pool(kind));
        TokenService tokens = service(faulty, kind);
        TokenPair pair = tokens.issue(IssueRequest.forSubject("bob").client("web").build());

        faulty.beforeExecute = (connection, sql) -> {
            if (sql.startsWith("UPDATE " + prefix + "token SET state = 'ROTATED'")) {
                faulty.beforeExecute = (c, s) -> { };
                try (Statement kill = connection.createStatement()) {
                    kill.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                } catch (SQLException expected) {
                    // The server ends the session that asked: the rotation's own connection is now dead.
                }
            }
        };
        assertThatThrownBy(() -> tokens.refresh(refreshOf(pair))).isInstanceOf(TokenStoreException.class);

        TokenPair next = tokens.refresh(refreshOf(pair));
        assertThat(next.refreshToken()).isPresent();
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabases.Kind.class, names = "POSTGRESQL")
    @DisplayName("a rotation is four round trips including the commit, after one lookup; revocation-aware validation two")
    void roundTripsOfARotationAndOfAValidationLookup(TestDatabases.Kind kind) {
        InterceptingDataSource counting = new InterceptingDataSource(TestDatabases.pool(kind));
        TokenService tokens = service(counting, kind);
        TokenPair pair = tokens.issue(IssueRequest.forSubject("carol").client("web").build());

        counting.calls.clear();
        TokenPair next = tokens.refresh(refreshOf(pair));
        List<String> refresh = List.copyOf(counting.calls);

        counting.calls.clear();
        tokens.validate(next.accessToken());
        List<String> validation = List.copyOf(counting.calls);

        assertThat(refresh).hasSize(5);
        assertThat(refresh.get(0)).startsWith("SELECT").contains("JOIN");
        assertThat(refresh.subList(1, 5)).satisfiesExactly(
                lock -> assertThat(lock).startsWith("SELECT").endsWith("FOR UPDATE"),
                claim -> assertThat(claim).startsWith("UPDATE").contains("state = 'ROTATED'"),
                insert -> assertThat(insert).startsWith("INSERT"),
                commit -> assertThat(commit).isEqualTo("COMMIT"));
        assertThat(validation).hasSize(2).allSatisfy(sql -> assertThat(sql).startsWith("SELECT"));
    }
}
