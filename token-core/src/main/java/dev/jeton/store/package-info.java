/**
 * The store SPI: what a refresh-token store implements, and the values it holds. Users of Jeton meet a
 * <em>session</em> (one login, {@link dev.jeton.Session}, the access tokens' {@code sid}); a store keeps that session
 * as a <em>family</em>: the {@link dev.jeton.store.FamilyRecord} of every refresh token issued from one login. The two
 * words name the same thing, seen from the API and from the store; this package keeps "family" because its records
 * are about the refresh tokens' lineage (generations, the previous token of a grace window), and the family id is the
 * session id.
 *
 * <p>A store implements {@link dev.jeton.store.TokenStore} and proves it against {@code TokenStoreContract} of
 * {@code token-store-tck}.
 */
package dev.jeton.store;
