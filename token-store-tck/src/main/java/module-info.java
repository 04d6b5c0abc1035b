/**
 * {@code TokenStoreContract}: the JUnit 5 contract every {@code TokenStore} must pass. Open, so that JUnit can run the
 * kit's nested test classes on the module path.
 */
open module dev.jeton.store.tck {
    exports dev.jeton.store.tck;

    requires transitive dev.jeton.core;
    // In the API: the kit hands a TestClock to the store's factory, and subclasses are JUnit test classes.
    requires transitive dev.jeton.testing;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;
}
