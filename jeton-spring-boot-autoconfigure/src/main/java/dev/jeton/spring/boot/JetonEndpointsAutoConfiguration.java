package dev.jeton.spring.boot;

import dev.jeton.TokenService;
import dev.jeton.key.KeyProvider;
import dev.jeton.key.RotatingKeyProvider;
import dev.jeton.spring.endpoint.ClientRegistry;
import dev.jeton.spring.endpoint.GrantHandler;
import dev.jeton.spring.endpoint.InMemoryClientRegistry;
import dev.jeton.spring.endpoint.RegisteredClient;
import dev.jeton.spring.endpoint.TokenEndpoints;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Serves the token, revocation, introspection, JWK set and metadata endpoints when
 * {@code jeton.endpoints.enabled=true} ({@link TokenEndpoints}). Clients come from a {@link ClientRegistry} bean, or
 * from {@code jeton.clients.*}; secrets are checked with the application's {@link PasswordEncoder} bean, or Spring
 * Security's delegating encoder ({@code {bcrypt}…}). Application grants come from {@link GrantHandler} beans.
 *
 * <p>With Spring Security, the endpoints get their own filter chain, ahead of the application's: they authenticate
 * clients themselves, need no session and no CSRF token (no cookie authenticates them).
 */
@AutoConfiguration(after = {JetonAutoConfiguration.class, JetonSecurityAutoConfiguration.class}, beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet."
                + "OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnBooleanProperty("jeton.endpoints.enabled")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({RouterFunction.class, PasswordEncoder.class})
@ConditionalOnBean(TokenService.class)
public class JetonEndpointsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ClientRegistry jetonClientRegistry(JetonProperties properties) {
        return new InMemoryClientRegistry(properties.getClients().entrySet().stream()
                .map(JetonEndpointsAutoConfiguration::client).toList());
    }

    private static RegisteredClient client(Map.Entry<String, JetonProperties.Client> entry) {
        JetonProperties.Client client = entry.getValue();
        return new RegisteredClient(entry.getKey(), Optional.ofNullable(client.getSecret()),
                new LinkedHashSet<>(client.getGrantTypes()), new LinkedHashSet<>(client.getScopes()));
    }

    @Bean
    @ConditionalOnMissingBean
    TokenEndpoints jetonTokenEndpoints(TokenService tokens, ClientRegistry clients,
                                       ObjectProvider<PasswordEncoder> passwords, ObjectProvider<GrantHandler> grants,
                                       KeyProvider keys, JetonProperties properties) {
        JetonProperties.Endpoints config = properties.getEndpoints();
        String cacheControl = config.getJwksCacheControl() != null ? config.getJwksCacheControl()
                : keys instanceof RotatingKeyProvider rotating ? rotating.jwksCacheControl() : "public, max-age=300";
        return new TokenEndpoints(tokens, clients,
                passwords.getIfUnique(PasswordEncoderFactories::createDelegatingPasswordEncoder),
                grants.orderedStream().toList(), paths(properties), cacheControl);
    }

    static TokenEndpoints.Paths paths(JetonProperties properties) {
        JetonProperties.Endpoints config = properties.getEndpoints();
        return new TokenEndpoints.Paths(config.getBaseUrl() != null ? config.getBaseUrl() : properties.getIssuer(),
                config.getTokenPath(), config.getRevocationPath(), config.getIntrospectionPath(),
                config.getJwksPath());
    }

    @Bean
    @ConditionalOnMissingBean(name = "jetonEndpointRoutes")
    RouterFunction<ServerResponse> jetonEndpointRoutes(TokenEndpoints endpoints) {
        return endpoints.routes();
    }

    /** The endpoints' own chain: ahead of the application's, permitting all, stateless, without CSRF. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HttpSecurity.class, SecurityFilterChain.class})
    @EnableWebSecurity
    static class EndpointSecurity {

        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE + 50)
        @ConditionalOnMissingBean(name = "jetonEndpointsSecurityFilterChain")
        SecurityFilterChain jetonEndpointsSecurityFilterChain(HttpSecurity http, JetonProperties properties) {
            JetonProperties.Endpoints config = properties.getEndpoints();
            List<String> endpointPaths = List.of(config.getTokenPath(), config.getRevocationPath(),
                    config.getIntrospectionPath(), config.getJwksPath(), "/.well-known/oauth-authorization-server",
                    "/.well-known/openid-configuration");
            http.securityMatcher(endpointPaths.toArray(String[]::new))
                    .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .csrf(csrf -> csrf.disable())
                    .requestCache(cache -> cache.disable())
                    .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
            return http.build();
        }
    }
}
