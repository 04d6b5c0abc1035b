package dev.jeton.spring.boot;

import dev.jeton.AccessTokenValidator;
import dev.jeton.spring.security.JetonGrantedAuthoritiesConverter;
import dev.jeton.spring.security.JetonJwtDecoder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Puts Jeton behind Spring Security's resource server: a {@link JwtDecoder} backed by the
 * {@link AccessTokenValidator}, and a {@link JwtAuthenticationConverter} that maps scopes to {@code SCOPE_x} and the
 * {@code jeton.security.roles-claim} to {@code ROLE_x}. Spring Security's {@code oauth2ResourceServer().jwt()} picks
 * both up, so its bearer-token filter and entry point answer 401 and 403 with RFC 6750's {@code WWW-Authenticate}.
 *
 * <p>When the application defines no {@link SecurityFilterChain}, one is provided: every request needs a valid access
 * token, sessions are stateless. It comes before Spring Boot's own default chains, which then back off.
 */
@AutoConfiguration(after = JetonAutoConfiguration.class, beforeName = {
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet."
                + "OAuth2ResourceServerAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"})
@ConditionalOnClass({JwtDecoder.class, JwtAuthenticationConverter.class})
@ConditionalOnBean(AccessTokenValidator.class)
public class JetonSecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(JwtDecoder.class)
    JetonJwtDecoder jetonJwtDecoder(AccessTokenValidator validator) {
        return new JetonJwtDecoder(validator);
    }

    @Bean
    @ConditionalOnMissingBean(JwtAuthenticationConverter.class)
    JwtAuthenticationConverter jetonJwtAuthenticationConverter(JetonProperties properties) {
        JetonProperties.Security security = properties.getSecurity();
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(new JetonGrantedAuthoritiesConverter(security.getScopePrefix(),
                security.getRolesClaim(), security.getRolePrefix()));
        return converter;
    }

    /** The default chain, registered only when the application has none. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({HttpSecurity.class, SecurityFilterChain.class})
    @EnableWebSecurity
    static class DefaultSecurityFilterChain {

        @Bean
        @ConditionalOnMissingBean(SecurityFilterChain.class)
        SecurityFilterChain jetonResourceServerSecurityFilterChain(HttpSecurity http) {
            http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .oauth2ResourceServer(resourceServer -> resourceServer.jwt(withDefaults()))
                    .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
            return http.build();
        }
    }
}
