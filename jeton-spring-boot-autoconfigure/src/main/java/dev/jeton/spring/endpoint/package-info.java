/**
 * Optional OAuth 2.0 endpoints for a Jeton service: token (refresh_token, client_credentials and application grants),
 * revocation, introspection, JWK set and metadata, with client authentication against a
 * {@link dev.jeton.spring.endpoint.ClientRegistry}. Switched on by {@code jeton.endpoints.enabled=true}.
 */
package dev.jeton.spring.endpoint;
