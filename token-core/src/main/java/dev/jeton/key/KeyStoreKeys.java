package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.KeyChecks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.Objects;
import javax.crypto.SecretKey;

/**
 * Loads a {@link JwtKey} from a key store entry: a private key with its certificate (signs; the certificate's public
 * key verifies and is published), a secret key (HMAC), or a trusted certificate alone (verifies only).
 *
 * <p>Files and streams are read as PKCS#12, the JDK's default key store type since Java 9 and what
 * {@code keytool -genkeypair} and {@code openssl pkcs12 -export} write. For another type (JKS, a PKCS#11 token),
 * load the {@link KeyStore} yourself and call {@link #fromKeyStore}. Certificates are not validated (no expiry,
 * chain or trust checks): the certificate only carries the public key.
 *
 * <p>The key then passes {@link JwtKey}'s checks, so a weak key or one that does not fit the algorithm is refused.
 * Messages name the kid and alias, never key material or passwords. Passwords are not cleared or kept; the caller
 * owns the arrays. All methods are stateless and thread-safe.
 */
public final class KeyStoreKeys {

    private KeyStoreKeys() {
    }

    /**
     * Loads a key from an entry of a PKCS#12 file.
     *
     * @param file the PKCS#12 file ({@code .p12}, {@code .pfx})
     * @param storePassword the password of the store (its integrity check)
     * @param alias the entry to load
     * @param keyPassword the password of the entry's key, often the store password; ignored for a certificate entry
     * @param kid the key id the key gets
     * @param algorithm the one algorithm the key is used with
     * @return a key that signs for a private or secret key entry, or verifies only for a certificate entry
     * @throws KeyException if the file cannot be read or is not PKCS#12, a password is wrong, the alias is missing,
     *     or the key is weak or does not fit {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey load(Path file, char[] storePassword, String alias, char[] keyPassword, String kid,
            JwsAlgorithm algorithm) {
        Objects.requireNonNull(file, "file");
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, storePassword, alias, keyPassword, kid, algorithm);
        } catch (IOException e) {
            throw new KeyException("key '" + kid + "': cannot read the key store " + file + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Loads a key from an entry of a PKCS#12 store read from {@code in}, which is not closed. Parameters and
     * results as for {@link #load(Path, char[], String, char[], String, JwsAlgorithm)}.
     *
     * @throws KeyException if the stream is not PKCS#12, a password is wrong, the alias is missing, or the key is
     *     weak or does not fit {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey load(InputStream in, char[] storePassword, String alias, char[] keyPassword, String kid,
            JwsAlgorithm algorithm) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(storePassword, "storePassword");
        KeyChecks.checkKid(kid);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, storePassword);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new KeyException("key '" + kid + "': the key store password is wrong");
            }
            throw new KeyException("key '" + kid + "': not a readable PKCS#12 key store ("
                    + e.getClass().getSimpleName() + ")");
        } catch (GeneralSecurityException e) {
            throw new KeyException("key '" + kid + "': cannot load the PKCS#12 key store ("
                    + e.getClass().getSimpleName() + ")");
        }
        return fromKeyStore(store, alias, keyPassword, kid, algorithm);
    }

    /**
     * Loads a key from an entry of a key store the caller has loaded, of any type.
     *
     * @param store a loaded key store
     * @param alias the entry to load
     * @param keyPassword the password of the entry's key; ignored for a certificate entry, may be {@code null} for
     *     stores that need none (PKCS#11)
     * @param kid the key id the key gets
     * @param algorithm the one algorithm the key is used with
     * @return a key that signs for a private or secret key entry, or verifies only for a certificate entry
     * @throws KeyException if the alias is missing, the key password is wrong, a private key has no certificate, or
     *     the key is weak or does not fit {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey fromKeyStore(KeyStore store, String alias, char[] keyPassword, String kid,
            JwsAlgorithm algorithm) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(algorithm, "algorithm");
        KeyChecks.checkKid(kid);
        try {
            if (!store.containsAlias(alias)) {
                throw new KeyException("key '" + kid + "': the key store has no entry '" + alias + "'; it has "
                        + Collections.list(store.aliases()));
            }
            if (store.isCertificateEntry(alias)) {
                return JwtKey.ofPublicKey(kid, algorithm, store.getCertificate(alias).getPublicKey());
            }
            Key key = store.getKey(alias, keyPassword);
            if (key instanceof SecretKey secret) {
                return hmac(kid, algorithm, secret);
            }
            if (key instanceof PrivateKey privateKey) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate == null) {
                    throw new KeyException("key '" + kid + "': the private key entry '" + alias
                            + "' has no certificate, so its public key is unknown");
                }
                return JwtKey.ofKeyPair(kid, algorithm, new KeyPair(certificate.getPublicKey(), privateKey));
            }
            throw new KeyException("key '" + kid + "': the key store entry '" + alias + "' holds no usable key");
        } catch (UnrecoverableKeyException e) {
            throw new KeyException("key '" + kid + "': the password of key store entry '" + alias + "' is wrong");
        } catch (GeneralSecurityException e) {
            throw new KeyException("key '" + kid + "': cannot read key store entry '" + alias + "' ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static JwtKey hmac(String kid, JwsAlgorithm algorithm, SecretKey key) {
        byte[] secret = key.getEncoded();
        if (secret == null) {
            throw new KeyException("key '" + kid + "': the secret key cannot be extracted from the key store; "
                    + "Jeton computes HMACs in the JVM");
        }
        try {
            return JwtKey.hmac(kid, algorithm, secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }
}
