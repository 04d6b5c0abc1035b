package dev.jeton.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.KeyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class KeyStoreKeysTest {

    private static final char[] STORE_PASSWORD = "store-secret".toCharArray();
    private static final char[] KEY_PASSWORD = "key-secret".toCharArray();

    private static KeyStore emptyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }

    private static byte[] write(KeyStore store) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        store.store(out, STORE_PASSWORD);
        return out.toByteArray();
    }

    private static InputStream storeWithPrivateKey(KeyPair pair, X509Certificate certificate) throws Exception {
        KeyStore store = emptyStore();
        store.setKeyEntry("signing", pair.getPrivate(), KEY_PASSWORD, new Certificate[] {certificate});
        return new ByteArrayInputStream(write(store));
    }

    @ParameterizedTest
    @EnumSource(TestKeyType.class)
    void privateKeyEntryRoundTripsWithItsCertificatePublicKey(TestKeyType type) throws Exception {
        KeyPair pair = type.generate();
        InputStream in = storeWithPrivateKey(pair, type.selfSigned(pair));

        JwtKey key = KeyStoreKeys.load(in, STORE_PASSWORD, "signing", KEY_PASSWORD, "k1", type.algorithm);

        assertThat(key.kid()).isEqualTo("k1");
        assertThat(key.algorithm()).isEqualTo(type.algorithm);
        assertThat(key.canSign()).isTrue();
        assertThat(key.verificationKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.signingKey().orElseThrow().getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void fileThroughPath(@TempDir Path dir) throws Exception {
        KeyPair pair = TestKeyType.EC_P384.generate();
        Path file = dir.resolve("keys.p12");
        Files.write(file, storeWithPrivateKey(pair, TestKeyType.EC_P384.selfSigned(pair)).readAllBytes());

        JwtKey key = KeyStoreKeys.load(file, STORE_PASSWORD, "signing", KEY_PASSWORD, "k1", JwsAlgorithm.ES384);

        assertThat(key.verificationKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.canSign()).isTrue();
    }

    @Test
    void secretKeyEntryGivesAnHmacKey() throws Exception {
        byte[] secret = new byte[48];
        new SecureRandom().nextBytes(secret);
        KeyStore store = emptyStore();
        store.setEntry("hmac", new KeyStore.SecretKeyEntry(new SecretKeySpec(secret, "HmacSHA384")),
                new KeyStore.PasswordProtection(KEY_PASSWORD));

        JwtKey key = KeyStoreKeys.load(new ByteArrayInputStream(write(store)), STORE_PASSWORD, "hmac", KEY_PASSWORD,
                "h1", JwsAlgorithm.HS384);

        assertThat(key.algorithm()).isEqualTo(JwsAlgorithm.HS384);
        assertThat(key.canSign()).isTrue();
        assertThat(key.isPublishable()).isFalse();
        assertThat(key.verificationKey().getEncoded()).isEqualTo(secret);
    }

    @Test
    void shortSecretKeyEntryIsRefused() throws Exception {
        KeyStore store = emptyStore();
        store.setEntry("hmac", new KeyStore.SecretKeyEntry(new SecretKeySpec(new byte[16], "HmacSHA256")),
                new KeyStore.PasswordProtection(KEY_PASSWORD));
        byte[] bytes = write(store);

        assertThatThrownBy(() -> KeyStoreKeys.load(new ByteArrayInputStream(bytes), STORE_PASSWORD, "hmac",
                KEY_PASSWORD, "h1", JwsAlgorithm.HS256))
                .isInstanceOf(KeyException.class)
                .hasMessageContaining("HS256 needs a secret of at least 32 bytes");
    }

    @Test
    void trustedCertificateEntryGivesAVerifyOnlyKey() throws Exception {
        KeyPair pair = TestKeyType.ED25519.generate();
        KeyStore store = emptyStore();
        store.setCertificateEntry("trusted", TestKeyType.ED25519.selfSigned(pair));

        JwtKey key = KeyStoreKeys.load(new ByteArrayInputStream(write(store)), STORE_PASSWORD, "trusted", null,
                "k1", JwsAlgorithm.EdDSA);

        assertThat(key.canSign()).isFalse();
        assertThat(key.verificationKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void loadedKeyStoreOfAnyTypeIsAccepted() throws Exception {
        KeyPair pair = TestKeyType.RSA.generate();
        KeyStore store = emptyStore();
        store.setKeyEntry("signing", pair.getPrivate(), KEY_PASSWORD,
                new Certificate[] {TestKeyType.RSA.selfSigned(pair)});

        JwtKey key = KeyStoreKeys.fromKeyStore(store, "signing", KEY_PASSWORD, "k1", JwsAlgorithm.PS256);

        assertThat(key.algorithm()).isEqualTo(JwsAlgorithm.PS256);
        assertThat(key.canSign()).isTrue();
    }

    @Test
    void missingAliasIsRefusedNamingTheAliasesPresent() throws Exception {
        KeyPair pair = TestKeyType.EC_P256.generate();
        InputStream in = storeWithPrivateKey(pair, TestKeyType.EC_P256.selfSigned(pair));

        assertThatThrownBy(() -> KeyStoreKeys.load(in, STORE_PASSWORD, "other", KEY_PASSWORD, "k1",
                JwsAlgorithm.ES256))
                .isInstanceOf(KeyException.class)
                .hasMessage("key 'k1': the key store has no entry 'other'; it has [signing]");
    }

    @Test
    void wrongStorePasswordIsRefused() throws Exception {
        KeyPair pair = TestKeyType.EC_P256.generate();
        InputStream in = storeWithPrivateKey(pair, TestKeyType.EC_P256.selfSigned(pair));

        assertThatThrownBy(() -> KeyStoreKeys.load(in, "wrong".toCharArray(), "signing", KEY_PASSWORD, "k1",
                JwsAlgorithm.ES256))
                .isInstanceOf(KeyException.class)
                .hasMessage("key 'k1': the key store password is wrong");
    }

    @Test
    void wrongKeyPasswordIsRefused() throws Exception {
        KeyPair pair = TestKeyType.EC_P256.generate();
        InputStream in = storeWithPrivateKey(pair, TestKeyType.EC_P256.selfSigned(pair));

        assertThatThrownBy(() -> KeyStoreKeys.load(in, STORE_PASSWORD, "signing", "wrong".toCharArray(), "k1",
                JwsAlgorithm.ES256))
                .isInstanceOf(KeyException.class)
                .hasMessage("key 'k1': the password of key store entry 'signing' is wrong");
    }

    @Test
    void weakRsaKeyInStoreIsRefused() throws Exception {
        KeyPair weak = TestKeyType.rsa(1024);
        InputStream in = storeWithPrivateKey(weak, TestKeyType.selfSigned(weak, "SHA256withRSA"));

        assertThatThrownBy(() -> KeyStoreKeys.load(in, STORE_PASSWORD, "signing", KEY_PASSWORD, "k1",
                JwsAlgorithm.RS256))
                .isInstanceOf(KeyException.class)
                .hasMessage("key 'k1': RSA keys must have at least 2048 bits (RFC 7518 §3.3), got 1024");
    }

    @Test
    void bytesThatAreNotAKeyStoreAreRefused() {
        InputStream in = new ByteArrayInputStream("not a key store".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> KeyStoreKeys.load(in, STORE_PASSWORD, "signing", KEY_PASSWORD, "k1",
                JwsAlgorithm.RS256))
                .isInstanceOf(KeyException.class)
                .hasMessageStartingWith("key 'k1': not a readable PKCS#12 key store");
    }
}
