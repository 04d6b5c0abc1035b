/**
 * Jeton in Spring Security: a {@link org.springframework.security.oauth2.jwt.JwtDecoder} backed by Jeton's
 * validator, the {@link dev.jeton.spring.security.JetonJwt} principal that keeps the verified token, scope and role
 * authorities, and the mapping of Jeton's exceptions to Spring Security's.
 */
package dev.jeton.spring.security;
