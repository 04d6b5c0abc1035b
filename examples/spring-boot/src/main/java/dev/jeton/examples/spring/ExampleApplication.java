package dev.jeton.examples.spring;

import dev.jeton.IssueRequest;
import dev.jeton.Session;
import dev.jeton.TokenService;
import dev.jeton.spring.endpoint.GrantHandler;
import dev.jeton.spring.endpoint.OAuth2EndpointException;
import dev.jeton.spring.security.JetonJwt;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * A Spring Boot application on jeton-spring-boot-starter: it logs users in with the password grant (its own
 * {@link GrantHandler}, checking Spring Security's {@link UserDetailsService}), serves an API that takes Jeton's access
 * tokens, lets users list and end their sessions, and reports reuse detection. Everything else — the token,
 * revocation, introspection and JWKS endpoints, the store on the DataSource, metrics — is the starter's.
 *
 * <p>H2 in memory by default; {@code --spring.profiles.active=postgres} uses PostgreSQL (see
 * {@code application-postgres.properties}). Run: {@code ./mvnw -q -pl examples/spring-boot -am compile exec:java}.
 */
@SpringBootApplication
public class ExampleApplication {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApplication.class);

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }

    /** Demo account: alice / wonderland, an admin. */
    @Bean
    UserDetailsService users(PasswordEncoder passwords) {
        return new InMemoryUserDetailsManager(User.withUsername("alice").password(passwords.encode("wonderland"))
                .roles("admin").build());
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** RFC 6749 §4.3, for the demo: the user's credentials in the token request; roles go into the token. */
    @Bean
    GrantHandler passwordGrant(UserDetailsService users, PasswordEncoder passwords) {
        return GrantHandler.of("password", request -> {
            String username = request.requiredParameter("username");
            UserDetails user;
            try {
                user = users.loadUserByUsername(username);
            } catch (UsernameNotFoundException e) {
                user = null;
            }
            if (user == null || !passwords.matches(request.requiredParameter("password"), user.getPassword())) {
                throw OAuth2EndpointException.invalidGrant("The username or password is wrong");
            }
            List<String> roles = user.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                    .map(role -> role.substring("ROLE_".length())).toList();
            return request.tokens().issue(IssueRequest.forSubject(user.getUsername())
                    .client(request.client().clientId()).scopes(request.scopes()).claim("roles", roles).build());
        });
    }

    /** The application's own chain: health is public, the rest needs an access token. */
    @Bean
    SecurityFilterChain api(HttpSecurity http) {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health").permitAll()
                        .requestMatchers("/actuator/**").hasRole("admin")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(withDefaults()))
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    /** Jeton's events arrive as Spring events. */
    @EventListener
    void onReuse(dev.jeton.TokenEvent.ReuseDetected event) {
        LOG.warn("A rotated refresh token of {} was used again; session {} is revoked", event.subject(),
                event.sessionId());
    }

    @RestController
    static class Api {

        private final TokenService tokens;

        Api(TokenService tokens) {
            this.tokens = tokens;
        }

        @GetMapping("/api/me")
        Map<String, Object> me(@AuthenticationPrincipal JetonJwt jwt) {
            return Map.of("sub", jwt.getSubject(), "client_id", jwt.verifiedAccessToken().clientId(),
                    "scopes", jwt.verifiedAccessToken().scopes(), "session",
                    jwt.verifiedAccessToken().sessionId().orElse(""));
        }

        @GetMapping("/api/sessions")
        List<Map<String, Object>> sessions(@AuthenticationPrincipal JetonJwt jwt) {
            return tokens.sessions(jwt.getSubject()).stream().map(ExampleApplication::describe).toList();
        }

        @DeleteMapping("/api/sessions/{id}")
        Map<String, Object> endSession(@AuthenticationPrincipal JetonJwt jwt, @PathVariable String id) {
            return Map.of("revoked", tokens.revokeSession(jwt.getSubject(), id));
        }

        @PostMapping("/api/logout-all")
        Map<String, Object> logoutEverywhere(@AuthenticationPrincipal JetonJwt jwt) {
            return Map.of("revoked", tokens.revokeAll(jwt.getSubject()));
        }
    }

    private static Map<String, Object> describe(Session session) {
        return Map.of("id", session.id(), "client_id", session.clientId(), "created_at",
                session.createdAt().toString(), "expires_at", session.expiresAt().toString());
    }
}
