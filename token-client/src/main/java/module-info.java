/**
 * The client half of OAuth 2.0: a token-endpoint client, an HTTP client that refreshes single-flight, and encrypted
 * token storage. Depends on no other Jeton module.
 */
module dev.jeton.client {
    exports dev.jeton.client;

    // In the API: AuthorizedHttpClient sends java.net.http requests.
    requires transitive java.net.http;
    requires com.fasterxml.jackson.core;
    requires org.bouncycastle.provider;
    requires org.slf4j;
}
