/**
 * Jeton's API: {@link dev.jeton.TokenService} to issue and validate tokens, {@link dev.jeton.AccessTokenValidator}
 * for resource servers that only validate, the request and result values, events, and the exceptions, all rooted at
 * {@link dev.jeton.TokenException}.
 */
package dev.jeton;
