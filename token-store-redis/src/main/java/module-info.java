/** {@code RedisTokenStore}: a {@code TokenStore} on Redis and Redis Cluster, through Lettuce. */
module dev.jeton.store.redis {
    exports dev.jeton.store.redis;

    requires transitive dev.jeton.core;
    // In the API (the builders take Lettuce's clients and connections); Lettuce names its module in its manifest.
    requires transitive lettuce.core;
    requires org.slf4j;
}
