/** {@code InMemoryTokenStore}: a {@code TokenStore} in the JVM's heap, for tests, demos and single-instance apps. */
module dev.jeton.store.inmemory {
    exports dev.jeton.store.inmemory;

    requires transitive dev.jeton.core;
}
