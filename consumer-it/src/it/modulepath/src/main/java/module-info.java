/** One requires line per Jeton module the application uses; nothing for Jeton's own dependencies. */
module dev.jeton.it.consumer {
    requires dev.jeton.core;
    requires dev.jeton.store.inmemory;
    requires dev.jeton.store.jdbc;
    requires dev.jeton.testing;
    // The application's own database: H2 names its module in its manifest.
    requires com.h2database;
}
