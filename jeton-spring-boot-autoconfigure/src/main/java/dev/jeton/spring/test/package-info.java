/** Test support for applications that use Jeton's Spring Boot starter: {@link AutoConfigureJetonTest}. */
package dev.jeton.spring.test;
