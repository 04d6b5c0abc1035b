/**
 * Jeton: issue and validate OAuth 2.0 access tokens and refresh tokens. {@code dev.jeton} is the API,
 * {@code dev.jeton.key} the key SPI and key sources, {@code dev.jeton.store} the store SPI;
 * {@code dev.jeton.internal} is the implementation and is not exported.
 */
module dev.jeton.core {
    exports dev.jeton;
    exports dev.jeton.key;
    exports dev.jeton.store;

    // In the API: RemoteJwksKeyProvider and IntrospectionClient take an HttpClient.
    requires transitive java.net.http;

    // JWK import and export. jjwt publishes no module name, so this is the name the JDK derives from the jar's file
    // name (see README, "Java modules"); jjwt-impl and jjwt-jackson are found at run time.
    requires jjwt.api;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;
}
