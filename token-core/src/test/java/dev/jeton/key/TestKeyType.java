package dev.jeton.key;

import dev.jeton.internal.Jca;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;

/** The asymmetric key types Jeton takes, with the test helpers to write them as PEM and certificates. */
enum TestKeyType {
    RSA(JwsAlgorithm.RS256, "SHA256withRSA"),
    EC_P256(JwsAlgorithm.ES256, "SHA256withECDSA"),
    EC_P384(JwsAlgorithm.ES384, "SHA384withECDSA"),
    EC_P521(JwsAlgorithm.ES512, "SHA512withECDSA"),
    ED25519(JwsAlgorithm.EdDSA, "Ed25519"),
    ED448(JwsAlgorithm.EdDSA, "Ed448");

    final JwsAlgorithm algorithm;
    final String certificateSignature;

    TestKeyType(JwsAlgorithm algorithm, String certificateSignature) {
        this.algorithm = algorithm;
        this.certificateSignature = certificateSignature;
    }

    /** A fresh key pair from the JDK's providers. */
    KeyPair generate() {
        try {
            return switch (this) {
                case RSA -> generator("RSA", 2048);
                case EC_P256 -> ec("secp256r1");
                case EC_P384 -> ec("secp384r1");
                case EC_P521 -> ec("secp521r1");
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                case ED448 -> KeyPairGenerator.getInstance("Ed448").generateKeyPair();
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isEc() {
        return algorithm.family() == JwsAlgorithm.Family.ECDSA;
    }

    static KeyPair rsa(int bits) {
        try {
            return generator("RSA", bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generator(String algorithm, int bits) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair ec(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }

    /** A self-signed certificate for {@code pair}, signed with Bouncy Castle as an explicit provider. */
    X509Certificate selfSigned(KeyPair pair) {
        return selfSigned(pair, certificateSignature);
    }

    static X509Certificate selfSigned(KeyPair pair, String signatureAlgorithm) {
        try {
            X500Name name = new X500Name("CN=jeton-test");
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now
                    .getEpochSecond()), Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(365,
                    ChronoUnit.DAYS)), name, pair.getPublic());
            return new JcaX509CertificateConverter().getCertificate(builder.build(
                    new JcaContentSignerBuilder(signatureAlgorithm).setProvider(Jca.bouncyCastle())
                            .build(pair.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** PEM as {@link JcaPEMWriter} writes each object: PKCS#1 and SEC1 for RSA and EC private keys. */
    static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                if (object instanceof PemObjectGenerator generator) {
                    writer.writeObject(generator);
                } else if (object instanceof PemObject pemObject) {
                    writer.writeObject(pemObject);
                } else {
                    writer.writeObject(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** An unencrypted PKCS#8 {@code PRIVATE KEY} block. */
    static PemObjectGenerator pkcs8(PrivateKey key) {
        try {
            return new JcaPKCS8Generator(key, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An {@code ENCRYPTED PRIVATE KEY} block: PBES2 with AES-256-CBC. */
    static PemObjectGenerator encryptedPkcs8(PrivateKey key, char[] password) {
        try {
            return new JcaPKCS8Generator(key, new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                    .setProvider(Jca.bouncyCastle())
                    .setIterationCount(1000)
                    .setPassword(password)
                    .build());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
