/** {@code JdbcTokenStore}: a {@code TokenStore} on any {@code javax.sql.DataSource}, with shipped DDL. */
module dev.jeton.store.jdbc {
    exports dev.jeton.store.jdbc;

    requires transitive dev.jeton.core;
    requires transitive java.sql;
    requires org.slf4j;
}
