package dev.jeton.spring.boot;

import dev.jeton.PurgeScheduler;
import dev.jeton.micrometer.JetonMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers token-micrometer's {@link JetonMetrics} when the application has a {@link MeterRegistry} (Spring Boot's
 * actuator): it receives every token event, times the store's operations (through a {@link TokenStoreDecorator}),
 * and exposes the purge schedule's counters. The meters appear under {@code /actuator/metrics/jeton.*}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"})
@ConditionalOnClass({JetonMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "jeton.enabled", matchIfMissing = true)
public class JetonMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JetonMetrics jetonMetrics(MeterRegistry registry) {
        return new JetonMetrics(registry);
    }

    @Bean
    @ConditionalOnMissingBean(name = "jetonMetricsStoreDecorator")
    TokenStoreDecorator jetonMetricsStoreDecorator(JetonMetrics metrics) {
        return metrics::instrument;
    }

    @Bean
    @ConditionalOnMissingBean(name = "jetonPurgeMetrics")
    MeterBinder jetonPurgeMetrics(ObjectProvider<PurgeScheduler> scheduler, ObjectProvider<JetonMetrics> metrics) {
        return registry -> scheduler.ifAvailable(purge -> metrics.ifAvailable(m -> m.monitor(purge)));
    }
}
