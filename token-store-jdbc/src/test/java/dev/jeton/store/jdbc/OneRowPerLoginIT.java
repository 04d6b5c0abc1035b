package dev.jeton.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.key.JwsAlgorithm;
import dev.jeton.key.JwtKey;
import dev.jeton.key.KeyProvider;
import dev.jeton.testing.TestClock;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The store holds one row per login, however often it refreshes: storage grows with users, not with activity. */
class OneRowPerLoginIT {

    private static final int REFRESHES = 1_000;

    private final TestClock clock = TestClock.fixed();
    private DataSource pool;
    private String prefix;

    @AfterEach
    void drop() throws SQLException {
        if (prefix != null) {
            TestDatabases.dropTables(pool, prefix);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabases.Kind.class)
    @DisplayName("1,000 refreshes of one login, with a grace window each time, leave one row")
    void aThousandRefreshesOfOneLoginLeaveOneRow(TestDatabases.Kind kind) throws SQLException {
        pool = TestDatabases.pool(kind);
        prefix = TestDatabases.uniquePrefix();
        TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                .keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.HS256))).clock(clock)
                .reuseGrace(Duration.ofSeconds(10)).refreshTokenIdleTtl(Duration.ofHours(1))
                .store(JdbcTokenStore.builder(pool).tablePrefix(prefix).createSchemaIfMissing(true).build()).build();
        TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
        assertThat(TestDatabases.rowCount(pool, prefix + "family")).isOne();

        for (int i = 1; i <= REFRESHES; i++) {
            clock.advance(Duration.ofMinutes(15));
            pair = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build());
            if (i % 250 == 0) {
                assertThat(TestDatabases.rowCount(pool, prefix + "family")).as("rows after %d refreshes", i).isOne();
            }
        }

        assertThat(TestDatabases.rowCount(pool, prefix + "family")).isOne();
        assertThat(TestDatabases.rowCount(pool, prefix + "denied_jti")).isZero();
        assertThat(tokens.sessions("alice")).hasSize(1);
    }
}
