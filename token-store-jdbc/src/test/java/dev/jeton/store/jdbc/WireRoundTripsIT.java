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
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Round trips of a refresh as the network sees them, through {@link WireProxy}, on one connection handed out again
 * and again as a pool would, in autocommit and not: on PostgreSQL one (the {@code UPDATE … RETURNING}), on MariaDB
 * two (the {@code UPDATE} and the read), each plus the {@code COMMIT} without autocommit; nothing else, no
 * {@code SET autocommit}. Counted over many refreshes after the first, so that statement preparation is settled.
 */
class WireRoundTripsIT {

    private static final int REFRESHES = 20;

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of(TestDatabases.Kind.POSTGRESQL, true, 1),
                Arguments.of(TestDatabases.Kind.POSTGRESQL, false, 2),
                Arguments.of(TestDatabases.Kind.MARIADB, true, 2),
                Arguments.of(TestDatabases.Kind.MARIADB, false, 3));
    }

    @ParameterizedTest(name = "{0}, autocommit {1}: {2} per refresh")
    @MethodSource("servers")
    @DisplayName("each refresh costs its dialect's round trips on the wire, and nothing more")
    void eachRefreshCostsItsRoundTripsOnTheWire(TestDatabases.Kind kind, boolean autoCommit, int expected)
            throws Exception {
        TestDatabases.requireReachable(kind);
        URI server = URI.create(kind.url.substring("jdbc:".length()));
        String prefix = TestDatabases.uniquePrefix();
        DataSource direct = TestDatabases.pool(kind);
        JdbcTokenStore.builder(direct).tablePrefix(prefix).createSchemaIfMissing(true).build();
        try (WireProxy proxy = new WireProxy(server.getHost(), server.getPort());
             Connection connection = DriverManager.getConnection(
                     kind.url.replace(":" + server.getPort() + "/", ":" + proxy.port() + "/"), kind.user,
                     kind.password)) {
            connection.setAutoCommit(autoCommit);
            TokenService tokens = TokenService.builder().issuer("https://issuer.test").audience("https://api.test")
                    .keys(KeyProvider.of(JwtKey.generate("k", JwsAlgorithm.HS256))).clock(TestClock.fixed())
                    .store(JdbcTokenStore.builder(pooled(connection)).tablePrefix(prefix).build()).build();
            TokenPair pair = tokens.issue(IssueRequest.forSubject("alice").client("web").build());
            pair = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build());

            List<Integer> perRefresh = new ArrayList<>();
            for (int i = 0; i < REFRESHES; i++) {
                proxy.reset();
                pair = tokens.refresh(RefreshRequest.of(pair.refreshToken().orElseThrow()).client("web").build());
                perRefresh.add(proxy.roundTrips());
            }
            System.out.printf("%s, autocommit %s: round trips per refresh %s%n", kind, autoCommit, perRefresh);
            assertThat(perRefresh).containsOnly(expected);
        } finally {
            TestDatabases.dropTables(direct, prefix);
        }
    }

    /** A data source handing out the one connection again and again; closing it does not close it. */
    private static DataSource pooled(Connection connection) {
        ClassLoader loader = WireRoundTripsIT.class.getClassLoader();
        Connection handle = (Connection) Proxy.newProxyInstance(loader, new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        return (DataSource) Proxy.newProxyInstance(loader, new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                return handle;
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }
}
