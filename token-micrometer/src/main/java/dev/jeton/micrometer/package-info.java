/**
 * Micrometer metrics for Jeton: {@link dev.jeton.micrometer.JetonMetrics}. Depends on token-core and
 * micrometer-core only; Spring Boot's starter registers it when the application has a {@code MeterRegistry}.
 */
package dev.jeton.micrometer;
