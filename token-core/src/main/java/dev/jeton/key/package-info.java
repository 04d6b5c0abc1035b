/**
 * Keys: the {@link dev.jeton.key.KeyProvider} SPI, {@link dev.jeton.key.JwtKey} (a key bound to one
 * {@link dev.jeton.key.JwsAlgorithm}), and the sources Jeton ships: generated keys, HMAC secrets, PEM, PKCS#12,
 * JWK sets, remote JWKS and planned rotation.
 */
package dev.jeton.key;
