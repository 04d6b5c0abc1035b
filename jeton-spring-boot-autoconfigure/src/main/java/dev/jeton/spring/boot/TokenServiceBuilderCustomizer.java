package dev.jeton.spring.boot;

import dev.jeton.TokenService;

/**
 * Customizes the {@link TokenService.Builder} of the auto-configured service before it is built, for options
 * properties do not cover (a claims customizer, a refresh-token pepper, a provider policy). Each builder option may be
 * set once: do not set one the properties already set. Beans of this type are applied in order.
 */
@FunctionalInterface
public interface TokenServiceBuilderCustomizer {

    /** Sets further options on {@code builder}. */
    void customize(TokenService.Builder builder);
}
