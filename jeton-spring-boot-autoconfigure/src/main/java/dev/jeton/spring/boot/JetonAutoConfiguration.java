package dev.jeton.spring.boot;

import dev.jeton.AccessTokenValidator;
import dev.jeton.PurgeScheduler;
import dev.jeton.TokenEventListener;
import dev.jeton.TokenService;
import dev.jeton.key.KeyProvider;
import dev.jeton.store.TokenStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configures Jeton from {@code jeton.*}: the {@link KeyProvider}, the {@link TokenStore}, the
 * {@link TokenService}, its {@link AccessTokenValidator} and a scheduled purge. Every bean backs off when the
 * application defines its own of the same type.
 *
 * <ul>
 *   <li><b>Store.</b> JDBC on the application's {@code DataSource} when it has exactly one (tables created on an
 *       embedded database, {@code jeton.store.jdbc.initialize-schema}), otherwise in memory with a warning at
 *       start-up; {@code jeton.store.type} forces one, or {@code none} for access tokens only.</li>
 *   <li><b>The store's transactions are its own.</b> The JDBC store takes connections from the target
 *       {@code DataSource} (unwrapping a {@code TransactionAwareDataSourceProxy}) and commits each operation itself,
 *       so it never joins a transaction the application has open. A rotation, and a reuse-detection revocation, is
 *       final once the store has made it: it must outlive an application transaction that later rolls back, or a
 *       rolled-back rotation would bring the presented token back to life after its successor was handed out, and a
 *       rolled-back revocation would leave a thief's session usable. The pool needs one connection beyond those the
 *       application holds in transactions.</li>
 *   <li><b>Keys</b> from a PEM file, a PKCS#12 store or a JWK set ({@code jeton.keys.*}, Spring {@code Resource}s);
 *       with {@code jeton.keys.remote-jwks.uri} the application only validates, and gets an
 *       {@code AccessTokenValidator} but no {@code TokenService}.</li>
 *   <li><b>Clock.</b> A {@link Clock} bean is used if there is one.</li>
 *   <li><b>Events</b> go to every {@link TokenEventListener} bean, to Spring's application events, and to metrics
 *       when Micrometer is there.</li>
 *   <li><b>Purge.</b> {@link TokenService#schedulePurge} every {@code jeton.purge.interval}: a failed run is logged
 *       and counted and the next one goes ahead; the {@link PurgeScheduler} bean's counters (and the
 *       {@code jeton.purge.*} meters) show how it goes.</li>
 * </ul>
 */
@AutoConfiguration(afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "jeton.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JetonProperties.class)
@Import({JetonStoreConfigurations.Jdbc.class, JetonStoreConfigurations.RequiredJdbc.class,
        JetonStoreConfigurations.InMemory.class})
public class JetonAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(JetonAutoConfiguration.class);

    /** Every {@link TokenEventListener} bean, in order, as one listener. */
    static TokenEventListener listeners(ObjectProvider<TokenEventListener> listeners) {
        List<TokenEventListener> all = listeners.orderedStream().toList();
        return all.size() == 1 ? all.get(0) : TokenEventListener.composite(all);
    }

    static Clock clock(ObjectProvider<Clock> clock) {
        return clock.getIfUnique(Clock::systemUTC);
    }

    @Bean
    @ConditionalOnMissingBean
    KeyProvider jetonKeyProvider(JetonProperties properties, ObjectProvider<Clock> clock,
                                 ObjectProvider<TokenEventListener> listeners) {
        return JetonKeys.provider(properties.getKeys(), clock(clock), listeners(listeners));
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "jeton.events.publish-application-events", matchIfMissing = true)
    @ConditionalOnMissingBean
    ApplicationEventTokenEventListener jetonApplicationEventListener(ApplicationEventPublisher publisher) {
        return new ApplicationEventTokenEventListener(publisher);
    }

    @Bean
    @ConditionalOnMissingBean
    @Conditional(IssuesTokens.class)
    TokenService jetonTokenService(JetonProperties properties, KeyProvider keys, ObjectProvider<TokenStore> store,
                                   ObjectProvider<Clock> clock, ObjectProvider<TokenEventListener> listeners,
                                   ObjectProvider<TokenStoreDecorator> decorators,
                                   ObjectProvider<TokenServiceBuilderCustomizer> customizers) {
        TokenService.Builder builder = TokenService.builder()
                .issuer(required(properties.getIssuer(), "jeton.issuer"))
                .audience(required(properties.getAudience(), "jeton.audience"))
                .keys(keys)
                .clock(clock(clock))
                .accessTokenTtl(properties.getAccessTokenTtl())
                .clockSkew(properties.getClockSkew())
                .eventListener(listeners(listeners));
        if (!properties.getAdditionalAudiences().isEmpty()) {
            builder.additionalAudiences(properties.getAdditionalAudiences().toArray(String[]::new));
        }
        if (properties.getIdTokenTtl() != null) {
            builder.idTokens(properties.getIdTokenTtl());
        }
        if (properties.getValidation().getVerifiedTokenCache() > 0) {
            builder.verifiedTokenCache(properties.getValidation().getVerifiedTokenCache());
        }
        TokenStore tokenStore = store.getIfUnique();
        if (tokenStore != null) {
            for (TokenStoreDecorator decorator : decorators.orderedStream().toList()) {
                tokenStore = decorator.decorate(tokenStore);
            }
            JetonProperties.RefreshToken refresh = properties.getRefreshToken();
            builder.store(tokenStore)
                    .refreshTokenIdleTtl(refresh.getIdleTtl())
                    .refreshTokenMaxTtl(refresh.getMaxTtl())
                    .rotation(refresh.getRotation());
            if (!refresh.getReuseGrace().isZero()) {
                builder.reuseGrace(refresh.getReuseGrace());
            }
            if (refresh.getReuseGraceUses() != null) {
                builder.reuseGraceUses(refresh.getReuseGraceUses());
            }
            if (refresh.getPrefix() != null) {
                builder.refreshTokenPrefix(refresh.getPrefix());
            }
            if (properties.getValidation().isRevocationAware()) {
                builder.revocationAwareValidation(properties.getValidation().getRevocationCacheTtl());
            }
        } else if (properties.getValidation().isRevocationAware()) {
            throw new IllegalStateException("jeton.validation.revocation-aware needs a token store, but "
                    + "jeton.store.type is none");
        }
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    AccessTokenValidator jetonAccessTokenValidator(JetonProperties properties, ObjectProvider<TokenService> tokens,
                                                   KeyProvider keys, ObjectProvider<Clock> clock,
                                                   ObjectProvider<TokenEventListener> listeners) {
        TokenService service = tokens.getIfUnique();
        if (service != null) {
            return service.validator();
        }
        AccessTokenValidator.Builder builder = AccessTokenValidator.builder()
                .issuer(required(properties.getIssuer(), "jeton.issuer"))
                .audience(required(properties.getAudience(), "jeton.audience"))
                .keys(keys)
                .clock(clock(clock))
                .clockSkew(properties.getClockSkew())
                .eventListener(listeners(listeners));
        if (properties.getValidation().getVerifiedTokenCache() > 0) {
            builder.verifiedTokenCache(properties.getValidation().getVerifiedTokenCache());
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnBean({TokenService.class, TokenStore.class})
    @ConditionalOnBooleanProperty(name = "jeton.purge.enabled", matchIfMissing = true)
    PurgeScheduler jetonPurgeScheduler(TokenService tokens, JetonProperties properties) {
        LOG.debug("Purging expired Jeton sessions every {}", properties.getPurge().getInterval());
        return tokens.schedulePurge(properties.getPurge().getInterval());
    }

    private static String required(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(property + " is required; set it in application.properties");
        }
        return value;
    }

    /** Matches unless {@code jeton.keys.remote-jwks.uri} is set: such an application only validates. */
    static final class IssuesTokens extends SpringBootCondition {
        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            String uri = context.getEnvironment().getProperty("jeton.keys.remote-jwks.uri");
            return uri == null || uri.isBlank()
                    ? ConditionOutcome.match("no jeton.keys.remote-jwks.uri: this application issues tokens")
                    : ConditionOutcome.noMatch("jeton.keys.remote-jwks.uri is set: this application only validates");
        }
    }
}
