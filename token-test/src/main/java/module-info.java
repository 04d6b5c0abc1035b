/** For applications' tests: {@code TestClock}, a ready {@code TokenService}, and token assertions. */
module dev.jeton.testing {
    exports dev.jeton.testing;

    requires transitive dev.jeton.core;
    requires dev.jeton.store.inmemory;
}
