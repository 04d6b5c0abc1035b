/**
 * For applications' tests (artifact {@code token-test}, test scope): {@link dev.jeton.testing.TestClock}, time that
 * tests move by hand; {@link dev.jeton.testing.TestServices}, a ready {@code TokenService} on an in-memory store; and
 * {@link dev.jeton.testing.TokenAssertions}, that a token is valid, expired or revoked.
 */
package dev.jeton.testing;
