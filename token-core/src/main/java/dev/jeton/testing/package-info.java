/** Helpers for applications' tests: {@link dev.jeton.testing.TestClock}. */
package dev.jeton.testing;
