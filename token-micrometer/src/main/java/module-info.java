/**
 * Micrometer metrics for Jeton: {@code JetonMetrics}, a token event listener, a store decorator and purge gauges. Its
 * API takes Micrometer's {@code MeterRegistry} and Jeton's types, so it reads both transitively.
 */
module dev.jeton.micrometer {
    exports dev.jeton.micrometer;

    requires transitive dev.jeton.core;
    requires transitive micrometer.core;
}
