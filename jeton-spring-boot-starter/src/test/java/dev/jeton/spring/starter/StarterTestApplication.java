package dev.jeton.spring.starter;

import dev.jeton.IssueRequest;
import dev.jeton.RefreshRequest;
import dev.jeton.TokenEvent;
import dev.jeton.TokenPair;
import dev.jeton.TokenService;
import dev.jeton.VerifiedAccessToken;
import dev.jeton.spring.endpoint.GrantHandler;
import dev.jeton.spring.endpoint.OAuth2EndpointException;
import dev.jeton.spring.security.JetonJwt;
import dev.jeton.testing.TestClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application the starter's tests run: the starter's defaults (its security chain, endpoints, store, metrics),
 * plus what an application writes itself: a password grant, an API, and a transactional service.
 */
@SpringBootApplication
@EnableMethodSecurity
public class StarterTestApplication {

    static final Map<String, String> PASSWORDS = Map.of("alice", "wonderland");

    /** Time the tests move. */
    @Bean
    TestClock testClock() {
        return TestClock.fixed();
    }

    /** The application's own grant, through the starter's hook. */
    @Bean
    GrantHandler passwordGrant() {
        return GrantHandler.of("password", request -> {
            String username = request.requiredParameter("username");
            String password = request.requiredParameter("password");
            if (!password.equals(PASSWORDS.get(username))) {
                throw OAuth2EndpointException.invalidGrant("The username or password is wrong");
            }
            return request.tokens().issue(IssueRequest.forSubject(username).client(request.client().clientId())
                    .scopes(request.scopes()).claim("roles", List.of("admin")).build());
        });
    }

    @Bean
    SeenEvents seenEvents() {
        return new SeenEvents();
    }

    /** Token events as Spring application events. */
    static final class SeenEvents {
        final List<TokenEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(TokenEvent event) {
            events.add(event);
        }
    }

    @RestController
    static class Api {

        @GetMapping("/api/me")
        Map<String, Object> me(@AuthenticationPrincipal JetonJwt jwt) {
            VerifiedAccessToken token = jwt.verifiedAccessToken();
            return Map.of("sub", token.subject(), "client_id", token.clientId(),
                    "session", token.sessionId().orElse(""), "iat_type", jwt.getClaims().get("iat").getClass()
                            .getSimpleName());
        }

        @GetMapping("/api/admin")
        @PreAuthorize("hasRole('admin')")
        Map<String, Object> admin() {
            return Map.of("admin", true);
        }

        @GetMapping("/api/reports")
        @PreAuthorize("hasAuthority('SCOPE_reports')")
        Map<String, Object> reports() {
            return Map.of("reports", List.of());
        }
    }

    /** An application service whose transaction refreshes a token and then rolls back. */
    @Service
    static class RefreshingService {

        static final String AUDIT_TABLE = "jeton_starter_test_audit";

        private final TokenService tokens;
        private final JdbcTemplate jdbc;

        RefreshingService(TokenService tokens, JdbcTemplate jdbc) {
            this.tokens = tokens;
            this.jdbc = jdbc;
        }

        @Transactional
        public void refreshThenFail(String refreshToken, String clientId, AtomicReference<TokenPair> refreshed) {
            jdbc.update("insert into " + AUDIT_TABLE + " (note) values ('refreshed')");
            refreshed.set(tokens.refresh(RefreshRequest.of(refreshToken).client(clientId).build()));
            throw new IllegalStateException("the application fails after the refresh; its transaction rolls back");
        }
    }
}
