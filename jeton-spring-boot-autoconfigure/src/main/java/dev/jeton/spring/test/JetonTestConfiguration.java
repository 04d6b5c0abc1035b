package dev.jeton.spring.test;

import dev.jeton.store.TokenStore;
import dev.jeton.store.inmemory.InMemoryTokenStore;
import dev.jeton.testing.TestClock;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The beans of {@link AutoConfigureJetonTest}: an in-memory store and a test clock, both primary. */
@Configuration(proxyBeanMethods = false)
public class JetonTestConfiguration {

    /** Time the test moves by hand; starts at a fixed instant. */
    @Bean
    @Primary
    TestClock jetonTestClock() {
        return TestClock.fixed();
    }

    /** State in memory, fresh for each application context. */
    @Bean
    @Primary
    TokenStore jetonTestTokenStore() {
        return new InMemoryTokenStore();
    }
}
