package dev.jeton.spring.boot;

import dev.jeton.store.TokenStore;

/**
 * Wraps the store the auto-configured {@link dev.jeton.TokenService} uses, whichever it is (the application's own
 * {@link TokenStore} bean, JDBC or in memory), for instance to time its operations. Beans of this type are applied in
 * order; the {@code TokenStore} bean itself stays as it is.
 */
@FunctionalInterface
public interface TokenStoreDecorator {

    /** The store to use instead of {@code store}; it must keep {@code store}'s contract. */
    TokenStore decorate(TokenStore store);
}
