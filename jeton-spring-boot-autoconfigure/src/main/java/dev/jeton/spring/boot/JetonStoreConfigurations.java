package dev.jeton.spring.boot;

import dev.jeton.TokenService;
import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.store.jdbc.JdbcTokenStore;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.util.ClassUtils;

/**
 * The store configurations, in the order they are tried: JDBC on the DataSource, then in memory. None applies when
 * the application builds its own {@link dev.jeton.TokenService}: that service has the store it was given.
 */
final class JetonStoreConfigurations {

    private static final Logger LOG = LoggerFactory.getLogger(JetonStoreConfigurations.class);

    private JetonStoreConfigurations() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JdbcTokenStore.class, DataSource.class, EmbeddedDatabaseConnection.class})
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(StoreType.Auto.class)
    @ConditionalOnMissingBean(TokenService.class)
    static class Jdbc {

        @Bean
        @ConditionalOnMissingBean(TokenStore.class)
        JdbcTokenStore jetonJdbcTokenStore(DataSource dataSource, JetonProperties properties) {
            return jdbcStore(dataSource, properties);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JdbcTokenStore.class, DataSource.class, EmbeddedDatabaseConnection.class})
    @Conditional(StoreType.Jdbc.class)
    @ConditionalOnMissingBean(TokenService.class)
    static class RequiredJdbc {

        @Bean
        @ConditionalOnMissingBean(TokenStore.class)
        JdbcTokenStore jetonJdbcTokenStore(DataSource dataSource, JetonProperties properties) {
            return jdbcStore(dataSource, properties);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingBean(TokenService.class)
    static class InMemory {

        @Bean
        @ConditionalOnMissingBean(TokenStore.class)
        @Conditional(StoreType.Auto.class)
        InMemoryTokenStore jetonInMemoryTokenStore() {
            LOG.warn("Jeton keeps refresh tokens in memory: they are lost when the application stops and are not "
                    + "shared between instances. Add a DataSource (spring-boot-starter-jdbc and a driver) for the "
                    + "JDBC store, or set jeton.store.type=in-memory to keep this on purpose.");
            return new InMemoryTokenStore();
        }

        @Bean
        @ConditionalOnMissingBean(TokenStore.class)
        @Conditional(StoreType.InMemory.class)
        InMemoryTokenStore jetonChosenInMemoryTokenStore() {
            return new InMemoryTokenStore();
        }
    }

    static JdbcTokenStore jdbcStore(DataSource dataSource, JetonProperties properties) {
        DataSource target = ownTransactions(dataSource);
        JetonProperties.Jdbc jdbc = properties.getStore().getJdbc();
        boolean create = switch (jdbc.getInitializeSchema()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case EMBEDDED -> EmbeddedDatabaseConnection.isEmbedded(target);
        };
        return JdbcTokenStore.builder(target).tablePrefix(jdbc.getTablePrefix()).createSchemaIfMissing(create)
                .build();
    }

    /**
     * The data source the store uses: never a transaction-aware proxy, which would make the store join the
     * application's transaction, so that a rollback there could undo a rotation or a revocation.
     */
    static DataSource ownTransactions(DataSource dataSource) {
        DataSource current = dataSource;
        if (ClassUtils.isPresent("org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy",
                JetonStoreConfigurations.class.getClassLoader())) {
            while (current instanceof TransactionAwareDataSourceProxy proxy && proxy.getTargetDataSource() != null) {
                current = proxy.getTargetDataSource();
            }
        }
        return current;
    }

    /** {@code jeton.store.type}, read as relaxed binding reads it ({@code in-memory}, {@code IN_MEMORY}, ...). */
    abstract static class StoreType extends SpringBootCondition {

        private final JetonProperties.StoreType wanted;

        StoreType(JetonProperties.StoreType wanted) {
            this.wanted = wanted;
        }

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String value = context.getEnvironment().getProperty("jeton.store.type", "auto");
            String normalized = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            return normalized.equals(wanted.name())
                    ? ConditionOutcome.match("jeton.store.type is " + value)
                    : ConditionOutcome.noMatch("jeton.store.type is " + value + ", not " + wanted);
        }

        static final class Auto extends StoreType {
            Auto() {
                super(JetonProperties.StoreType.AUTO);
            }
        }

        static final class Jdbc extends StoreType {
            Jdbc() {
                super(JetonProperties.StoreType.JDBC);
            }
        }

        static final class InMemory extends StoreType {
            InMemory() {
                super(JetonProperties.StoreType.IN_MEMORY);
            }
        }
    }
}
