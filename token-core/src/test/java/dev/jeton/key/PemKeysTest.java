package dev.jeton.key;

import static dev.jeton.key.TestKeyType.encryptedPkcs8;
import static dev.jeton.key.TestKeyType.pem;
import static dev.jeton.key.TestKeyType.pkcs8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jeton.KeyException;
import dev.jeton.internal.Jca;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PemKeysTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    /** The loaded key carries the original public key, and signs if a private key was given. */
    private static void assertLoaded(JwtKey key, TestKeyType type, KeyPair pair, boolean signs) {
        assertThat(key.kid()).isEqualTo("k1");
        assertThat(key.algorithm()).isEqualTo(type.algorithm);
        assertThat(key.verificationKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(key.canSign()).isEqualTo(signs);
        if (signs) {
            byte[] input = "payload".getBytes(StandardCharsets.US_ASCII);
            byte[] signature = Jca.sign(key.algorithm(), key.signingKey().orElseThrow(), null, input);
            assertThat(Jca.verify(key.algorithm(), pair.getPublic(), null, input, signature)).isTrue();
        }
    }

    @Nested
    @DisplayName("each key type loads from")
    class Formats {

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void pkcs8PrivateKeyAloneWithItsPublicKeyDerived(TestKeyType type) {
            KeyPair pair = type.generate();

            JwtKey key = PemKeys.parse(pem(pkcs8(pair.getPrivate())), "k1", type.algorithm);

            assertLoaded(key, type, pair, true);
            assertThat(key.isPublishable()).isTrue();
        }

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void spkiPublicKeyAsVerifyOnlyKey(TestKeyType type) {
            KeyPair pair = type.generate();

            JwtKey key = PemKeys.parse(pem(pair.getPublic()), "k1", type.algorithm);

            assertLoaded(key, type, pair, false);
        }

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void privateAndPublicKeyInOneFile(TestKeyType type) {
            KeyPair pair = type.generate();

            JwtKey key = PemKeys.parse(pem(pkcs8(pair.getPrivate()), pair.getPublic()), "k1", type.algorithm);

            assertLoaded(key, type, pair, true);
        }

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void publicKeyBeforePrivateKeyInOneFile(TestKeyType type) {
            KeyPair pair = type.generate();

            JwtKey key = PemKeys.parse(pem(pair.getPublic(), pkcs8(pair.getPrivate())), "k1", type.algorithm);

            assertLoaded(key, type, pair, true);
        }

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void encryptedPkcs8WithItsPassword(TestKeyType type) {
            KeyPair pair = type.generate();

            JwtKey key = PemKeys.parse(pem(encryptedPkcs8(pair.getPrivate(), PASSWORD)), "k1", type.algorithm,
                    PASSWORD);

            assertLoaded(key, type, pair, true);
        }

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void certificateAsVerifyOnlyKey(TestKeyType type) {
            KeyPair pair = type.generate();

            JwtKey key = PemKeys.parse(pem(type.selfSigned(pair)), "k1", type.algorithm);

            assertLoaded(key, type, pair, false);
        }

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void privateKeyWithCertificateChainTakingTheFirstCertificate(TestKeyType type) {
            KeyPair pair = type.generate();
            KeyPair issuer = type.generate();

            JwtKey key = PemKeys.parse(pem(pkcs8(pair.getPrivate()), type.selfSigned(pair), type.selfSigned(issuer)),
                    "k1", type.algorithm);

            assertLoaded(key, type, pair, true);
        }

        @Test
        void pkcs1RsaPrivateKey() {
            KeyPair pair = TestKeyType.RSA.generate();
            String pem = pem(pair.getPrivate());
            assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

            assertLoaded(PemKeys.parse(pem, "k1", JwsAlgorithm.RS256), TestKeyType.RSA, pair, true);
        }

        @Test
        void pkcs1RsaPublicKey() {
            KeyPair pair = TestKeyType.RSA.generate();
            RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
            String pem = pem(new PemObject("RSA PUBLIC KEY", encode(
                    new org.bouncycastle.asn1.pkcs.RSAPublicKey(rsa.getModulus(), rsa.getPublicExponent()))));

            assertLoaded(PemKeys.parse(pem, "k1", JwsAlgorithm.RS256), TestKeyType.RSA, pair, false);
        }

        @Test
        void rsaKeyForPssAlgorithm() {
            KeyPair pair = TestKeyType.RSA.generate();

            JwtKey key = PemKeys.parse(pem(pkcs8(pair.getPrivate())), "k1", JwsAlgorithm.PS384);

            assertThat(key.algorithm()).isEqualTo(JwsAlgorithm.PS384);
            assertThat(key.verificationKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        }

        @ParameterizedTest
        @EnumSource(value = TestKeyType.class, names = {"EC_P256", "EC_P384", "EC_P521"})
        void sec1EcPrivateKeyWithoutPublicKeyDerivingIt(TestKeyType type) {
            KeyPair pair = type.generate();
            String pem = pem(new PemObject("EC PRIVATE KEY", encode(sec1(pair, false))));

            assertLoaded(PemKeys.parse(pem, "k1", type.algorithm), type, pair, true);
        }

        @ParameterizedTest
        @EnumSource(value = TestKeyType.class, names = {"EC_P256", "EC_P384", "EC_P521"})
        void sec1EcPrivateKeyWithPublicKeyAfterEcParameters(TestKeyType type) {
            KeyPair pair = type.generate();
            ASN1Encodable curve = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()).getAlgorithm()
                    .getParameters();
            String pem = pem(new PemObject("EC PARAMETERS", encode(curve)),
                    new PemObject("EC PRIVATE KEY", encode(sec1(pair, true))));

            assertLoaded(PemKeys.parse(pem, "k1", type.algorithm), type, pair, true);
        }

        @ParameterizedTest
        @EnumSource(value = TestKeyType.class, names = {"RSA", "EC_P256"})
        void legacyOpenSslEncryptedPrivateKey(TestKeyType type) throws Exception {
            KeyPair pair = type.generate();
            // The JDK encodes an EC private key without the curve inside the SEC1 structure, which the legacy
            // format needs; Bouncy Castle's own key object keeps it there, as OpenSSL does.
            PrivateKey privateKey = KeyFactory.getInstance(pair.getPrivate().getAlgorithm(), Jca.bouncyCastle())
                    .generatePrivate(new PKCS8EncodedKeySpec(pair.getPrivate().getEncoded()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(privateKey, new JcePEMEncryptorBuilder("AES-128-CBC")
                        .setProvider(Jca.bouncyCastle()).build(PASSWORD));
            }
            assertThat(out.toString()).contains("Proc-Type: 4,ENCRYPTED");

            assertLoaded(PemKeys.parse(out.toString(), "k1", type.algorithm, PASSWORD), type, pair, true);
        }

        @Test
        void fileThroughPath(@TempDir Path dir) throws Exception {
            KeyPair pair = TestKeyType.ED25519.generate();
            Path file = dir.resolve("key.pem");
            Files.writeString(file, "Ed25519 signing key, café\n" + pem(encryptedPkcs8(pair.getPrivate(), PASSWORD)),
                    StandardCharsets.UTF_8);

            assertLoaded(PemKeys.load(file, "k1", JwsAlgorithm.EdDSA, PASSWORD), TestKeyType.ED25519, pair, true);
        }

        @Test
        void reader() {
            KeyPair pair = TestKeyType.EC_P256.generate();

            JwtKey key = PemKeys.read(new StringReader(pem(pair.getPublic())), "k1", JwsAlgorithm.ES256);

            assertLoaded(key, TestKeyType.EC_P256, pair, false);
        }
    }

    @Nested
    @DisplayName("refuses")
    class Refusals {

        @ParameterizedTest
        @EnumSource(TestKeyType.class)
        void encryptedKeyWithWrongPassword(TestKeyType type) {
            String pem = pem(encryptedPkcs8(type.generate().getPrivate(), PASSWORD));

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", type.algorithm, "wrong".toCharArray()))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("key 'k1': cannot decrypt the ENCRYPTED PRIVATE KEY; the password is wrong")
                    .hasMessageNotContaining("wrong\"");
        }

        @Test
        void encryptedKeyWithoutPassword() {
            String pem = pem(encryptedPkcs8(TestKeyType.RSA.generate().getPrivate(), PASSWORD));

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': the private key is encrypted; pass its password");
        }

        @Test
        void legacyEncryptedKeyWithWrongPassword() throws Exception {
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(TestKeyType.EC_P256.generate().getPrivate(), new JcePEMEncryptorBuilder(
                        "AES-128-CBC").setProvider(Jca.bouncyCastle()).build(PASSWORD));
            }

            assertThatThrownBy(() -> PemKeys.parse(out.toString(), "k1", JwsAlgorithm.ES256, "nope".toCharArray()))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("the password is wrong");
        }

        @Test
        void rsaKeyOf1024BitsAsPrivateKey() {
            String pem = pem(pkcs8(TestKeyType.rsa(1024).getPrivate()));

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': RSA keys must have at least 2048 bits (RFC 7518 §3.3), got 1024");
        }

        @Test
        void rsaKeyOf1024BitsAsCertificate() {
            KeyPair weak = TestKeyType.rsa(1024);
            String pem = pem(TestKeyType.selfSigned(weak, "SHA256withRSA"));

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessageContaining("at least 2048 bits");
        }

        @Test
        void textWithoutPemBlock() {
            assertThatThrownBy(() -> PemKeys.parse("this is not a key", "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': the PEM text holds no key; expected a PRIVATE KEY, PUBLIC KEY or "
                            + "CERTIFICATE block");
        }

        @Test
        void corruptBlockWithoutEchoingIt() {
            String body = Base64.getEncoder().encodeToString("definitely not DER, secret".getBytes(
                    StandardCharsets.US_ASCII));
            String pem = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessageStartingWith("key 'k1': PEM block #1 is corrupt or not a key")
                    .hasMessageNotContaining(body)
                    .hasMessageNotContaining("secret");
        }

        @Test
        void blockThatIsNotAKey() throws Exception {
            KeyPair pair = TestKeyType.EC_P256.generate();
            Object request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=x"), pair.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Jca.bouncyCastle())
                            .build(pair.getPrivate()));
            String pem = pem(request);

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.ES256))
                    .isInstanceOf(KeyException.class)
                    .hasMessageStartingWith("key 'k1': PEM block #1 is not a key or certificate");
        }

        @Test
        void twoPrivateKeys() {
            String pem = pem(pkcs8(TestKeyType.ED25519.generate().getPrivate()),
                    pkcs8(TestKeyType.ED25519.generate().getPrivate()));

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.EdDSA))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': the PEM text holds more than one private key; keep one key per file");
        }

        @Test
        void twoDifferentPublicKeys() {
            String pem = pem(TestKeyType.ED25519.generate().getPublic(), TestKeyType.ED25519.generate().getPublic());

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.EdDSA))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': the PEM text holds more than one public key; keep one key per file");
        }

        @Test
        void privateKeyWithAnotherKeysPublicKey() {
            String pem = pem(pkcs8(TestKeyType.EC_P256.generate().getPrivate()),
                    TestKeyType.EC_P256.generate().getPublic());

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.ES256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': the private key does not belong to the public key");
        }

        @Test
        void keyOfAnotherCurveThanTheAlgorithm() {
            String pem = pem(pkcs8(TestKeyType.EC_P384.generate().getPrivate()));

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.ES256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': ES256 needs a key on P-256");
        }

        @Test
        void ecKeyForRsaAlgorithm() {
            String pem = pem(TestKeyType.EC_P256.generate().getPublic());

            assertThatThrownBy(() -> PemKeys.parse(pem, "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': RS256 needs an RSA public key, got EC public key");
        }

        @Test
        void missingFileNamingIt(@TempDir Path dir) {
            Path missing = dir.resolve("missing.pem");

            assertThatThrownBy(() -> PemKeys.load(missing, "k1", JwsAlgorithm.RS256))
                    .isInstanceOf(KeyException.class)
                    .hasMessage("key 'k1': cannot read the PEM file " + missing + " (NoSuchFileException)");
        }
    }

    private static org.bouncycastle.asn1.sec.ECPrivateKey sec1(KeyPair pair, boolean withPublicKey) {
        ECPrivateKey privateKey = (ECPrivateKey) pair.getPrivate();
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded());
        int orderBits = privateKey.getParams().getOrder().bitLength();
        ASN1Encodable curve = spki.getAlgorithm().getParameters();
        return withPublicKey
                ? new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, privateKey.getS(), spki.getPublicKeyData(),
                        curve)
                : new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, privateKey.getS(), curve);
    }

    private static byte[] encode(ASN1Encodable object) {
        try {
            return object.toASN1Primitive().getEncoded("DER");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
