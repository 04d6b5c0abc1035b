package dev.jeton.key;

import dev.jeton.KeyException;
import dev.jeton.internal.Jca;
import dev.jeton.internal.KeyChecks;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed448PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Loads a {@link JwtKey} from PEM text, the format {@code openssl} and most secret managers hand out.
 *
 * <p>Accepted blocks, in any order and mixed as a key file usually is:
 * <ul>
 *   <li>{@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1) and {@code EC PRIVATE KEY} (SEC1);</li>
 *   <li>{@code ENCRYPTED PRIVATE KEY} (PKCS#8 with PBES2 or PKCS#12 PBE), and the older OpenSSL encryption of
 *       PKCS#1 and SEC1 ({@code Proc-Type: 4,ENCRYPTED}), both with a password;</li>
 *   <li>{@code PUBLIC KEY} (SPKI) and {@code RSA PUBLIC KEY} (PKCS#1);</li>
 *   <li>{@code CERTIFICATE}: its public key. In a chain the first certificate is the key's, as in TLS files; the
 *       others are ignored, and so are {@code EC PARAMETERS} blocks that {@code openssl ecparam} writes.</li>
 * </ul>
 * At most one private key and one public key (a {@code PUBLIC KEY} block or the first certificate) may be present;
 * text outside the blocks is ignored. With a private key the result signs; when the file holds no public key, it
 * is derived from the private key (RSA from its CRT parameters, EC as d·G, Ed25519 and Ed448 per RFC 8032), so the
 * key can still be published in a JWK set. With only a public key or certificate the result only verifies.
 *
 * <p>Every key then passes {@link JwtKey}'s checks: an RSA modulus under 2048 bits, a key of the wrong type or curve
 * for the algorithm, or a private key that does not belong to the public key is refused with a {@link KeyException}.
 * Certificates are not validated (no expiry, chain or trust checks): a certificate is only a way to carry the key.
 *
 * <p>Parsing is Bouncy Castle's {@code PEMParser}, because the JDK reads neither encrypted PKCS#8 in PEM nor PKCS#1
 * and SEC1. Keys come out as JDK key objects, and Bouncy Castle is used as an explicit provider instance for
 * decryption only; it is never registered with {@link java.security.Security}.
 *
 * <p>Messages of the exceptions thrown here name the kid and what is wrong, never key material or the password.
 * Passwords are not cleared or kept; the caller owns the array. All methods are stateless and thread-safe.
 */
public final class PemKeys {

    private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA", "1.2.840.113549.1.1.10", "RSASSA-PSS", "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519", "1.3.101.113", "Ed448", "1.3.101.110", "X25519", "1.3.101.111", "X448",
            "1.2.840.10040.4.1", "DSA");

    private PemKeys() {
    }

    /**
     * Loads a key from a PEM file.
     *
     * @param file the PEM file
     * @param kid the key id the key gets
     * @param algorithm the one algorithm the key is used with
     * @return a key that signs if the file holds a private key, otherwise one that only verifies
     * @throws KeyException if the file cannot be read, holds no usable key, is encrypted, or the key is weak or does
     *     not fit {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey load(Path file, String kid, JwsAlgorithm algorithm) {
        return loadFile(file, kid, algorithm, null);
    }

    /**
     * Loads a key from a PEM file whose private key may be encrypted; see {@link #read(Reader, String, JwsAlgorithm,
     * char[])}.
     *
     * @param password the password of an encrypted private key (an unencrypted key needs none: use the overload
     *     without it)
     * @throws KeyException if the file cannot be read, holds no usable key, the password is missing or wrong, or the
     *     key is weak or does not fit {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey load(Path file, String kid, JwsAlgorithm algorithm, char[] password) {
        return loadFile(file, kid, algorithm, Objects.requireNonNull(password, "password"));
    }

    private static JwtKey loadFile(Path file, String kid, JwsAlgorithm algorithm, char[] passwordOrNull) {
        Objects.requireNonNull(file, "file");
        // PEM blocks are ASCII; ISO-8859-1 maps every byte, so non-ASCII text around the blocks cannot fail decoding.
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            return decode(reader, kid, algorithm, passwordOrNull);
        } catch (IOException e) {
            throw new KeyException("key '" + kid + "': cannot read the PEM file " + file + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Loads a key from PEM text held in a string (for example from an environment variable or a secret manager).
     * Named {@code parse} rather than {@code load} so that a file name passed as a string is not mistaken for PEM.
     *
     * @throws KeyException if the text holds no usable key, is encrypted, or the key is weak or does not fit
     *     {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey parse(String pem, String kid, JwsAlgorithm algorithm) {
        Objects.requireNonNull(pem, "pem");
        return decode(new StringReader(pem), kid, algorithm, null);
    }

    /**
     * Loads a key from PEM text whose private key may be encrypted.
     *
     * @param password the password of an encrypted private key (an unencrypted key needs none: use the overload
     *     without it)
     * @throws KeyException if the text holds no usable key, the password is missing or wrong, or the key is weak or
     *     does not fit {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey parse(String pem, String kid, JwsAlgorithm algorithm, char[] password) {
        Objects.requireNonNull(pem, "pem");
        return decode(new StringReader(pem), kid, algorithm, Objects.requireNonNull(password, "password"));
    }

    /**
     * Loads a key from PEM text read to its end from {@code reader}, which is not closed.
     *
     * @throws KeyException if the text holds no usable key, is encrypted, or the key is weak or does not fit
     *     {@code algorithm}
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey read(Reader reader, String kid, JwsAlgorithm algorithm) {
        return decode(reader, kid, algorithm, null);
    }

    /**
     * Loads a key from PEM text read to its end from {@code reader}, which is not closed.
     *
     * @param reader the PEM text
     * @param kid the key id the key gets
     * @param algorithm the one algorithm the key is used with
     * @param password the password of an encrypted private key (an unencrypted key needs none: use the overload
     *     without it)
     * @return a key that signs if the text holds a private key, otherwise one that only verifies
     * @throws KeyException if the text holds no PEM block, a block that is corrupt or not a key, more than one
     *     private or public key, an encrypted key without the right password, a private key whose public key cannot
     *     be derived, or a key that is weak, does not fit {@code algorithm}, or does not match its public key
     * @throws IllegalArgumentException if the kid is not a valid kid
     */
    public static JwtKey read(Reader reader, String kid, JwsAlgorithm algorithm, char[] password) {
        return decode(reader, kid, algorithm, Objects.requireNonNull(password, "password"));
    }

    /** {@code password} is null when the caller gave none: an encrypted key is then refused. */
    private static JwtKey decode(Reader reader, String kid, JwsAlgorithm algorithm, char[] password) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(algorithm, "algorithm");
        KeyChecks.checkKid(kid);
        Parts parts = parts(reader, kid, password);
        if (parts.privateKey == null && parts.publicKey == null) {
            throw new KeyException("key '" + kid + "': the PEM text holds no key; expected a PRIVATE KEY, "
                    + "PUBLIC KEY or CERTIFICATE block");
        }
        if (parts.privateKey == null) {
            return JwtKey.ofPublicKey(kid, algorithm, publicKey(parts.publicKey, kid));
        }
        SubjectPublicKeyInfo publicInfo = parts.publicKey != null ? parts.publicKey
                : derivePublic(parts.privateKey, kid);
        PrivateKey privateKey;
        try {
            privateKey = CONVERTER.getPrivateKey(parts.privateKey);
        } catch (IOException | RuntimeException e) {
            throw new KeyException("key '" + kid + "': the JDK cannot use this private key ("
                    + algorithmName(parts.privateKey.getPrivateKeyAlgorithm().getAlgorithm()) + ")", e);
        }
        return JwtKey.ofKeyPair(kid, algorithm, new KeyPair(publicKey(publicInfo, kid), privateKey));
    }

    private static final class Parts {
        PrivateKeyInfo privateKey;
        SubjectPublicKeyInfo publicKey;
        boolean sawCertificate;
    }

    private static Parts parts(Reader reader, String kid, char[] password) {
        Parts parts = new Parts();
        // PEMParser is not closed: closing it would close the caller's reader.
        PEMParser parser = new PEMParser(reader);
        int block = 0;
        while (true) {
            Object object;
            try {
                object = parser.readObject();
            } catch (IOException | RuntimeException e) {
                throw new KeyException("key '" + kid + "': PEM block #" + (block + 1)
                        + " is corrupt or not a key (" + e.getClass().getSimpleName() + ")");
            }
            if (object == null) {
                return parts;
            }
            block++;
            add(parts, object, kid, block, password);
        }
    }

    private static void add(Parts parts, Object object, String kid, int block, char[] password) {
        if (object instanceof PrivateKeyInfo info) {
            setPrivate(parts, info, kid);
        } else if (object instanceof PEMKeyPair pair) {
            setPrivate(parts, pair.getPrivateKeyInfo(), kid);
            if (pair.getPublicKeyInfo() != null) {
                setPublic(parts, pair.getPublicKeyInfo(), kid);
            }
        } else if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            setPrivate(parts, decrypt(encrypted, kid, password), kid);
        } else if (object instanceof PEMEncryptedKeyPair encrypted) {
            PEMKeyPair pair = decrypt(encrypted, kid, password);
            setPrivate(parts, pair.getPrivateKeyInfo(), kid);
            if (pair.getPublicKeyInfo() != null) {
                setPublic(parts, pair.getPublicKeyInfo(), kid);
            }
        } else if (object instanceof SubjectPublicKeyInfo info) {
            setPublic(parts, info, kid);
        } else if (object instanceof X509CertificateHolder certificate) {
            if (!parts.sawCertificate) {
                parts.sawCertificate = true;
                setPublic(parts, certificate.getSubjectPublicKeyInfo(), kid);
            }
        } else if (!(object instanceof ASN1ObjectIdentifier)) {
            // An ASN1ObjectIdentifier is an EC PARAMETERS block naming a curve, which the EC key repeats.
            throw new KeyException("key '" + kid + "': PEM block #" + block + " is not a key or certificate ("
                    + object.getClass().getSimpleName() + "); Jeton reads private keys, public keys and certificates");
        }
    }

    private static void setPrivate(Parts parts, PrivateKeyInfo info, String kid) {
        if (parts.privateKey != null) {
            throw new KeyException("key '" + kid + "': the PEM text holds more than one private key; "
                    + "keep one key per file");
        }
        parts.privateKey = info;
    }

    private static void setPublic(Parts parts, SubjectPublicKeyInfo info, String kid) {
        if (parts.publicKey != null && !parts.publicKey.equals(info)) {
            throw new KeyException("key '" + kid + "': the PEM text holds more than one public key; "
                    + "keep one key per file");
        }
        parts.publicKey = info;
    }

    private static PrivateKeyInfo decrypt(PKCS8EncryptedPrivateKeyInfo encrypted, String kid, char[] password) {
        requirePassword(kid, password);
        try {
            return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(Jca.bouncyCastle())
                    .build(password));
        } catch (Exception e) {
            // A wrong password shows as a padding or encoding failure; neither says more than "cannot decrypt".
            throw new KeyException("key '" + kid + "': cannot decrypt the ENCRYPTED PRIVATE KEY; the password is "
                    + "wrong or the encryption is not supported (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PEMKeyPair decrypt(PEMEncryptedKeyPair encrypted, String kid, char[] password) {
        requirePassword(kid, password);
        try {
            return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
                    .setProvider(Jca.bouncyCastle())
                    .build(password));
        } catch (Exception e) {
            throw new KeyException("key '" + kid + "': cannot decrypt the encrypted private key; the password is "
                    + "wrong or the encryption is not supported (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static void requirePassword(String kid, char[] password) {
        if (password == null) {
            throw new KeyException("key '" + kid + "': the private key is encrypted; pass its password");
        }
    }

    private static PublicKey publicKey(SubjectPublicKeyInfo info, String kid) {
        try {
            return CONVERTER.getPublicKey(info);
        } catch (IOException | RuntimeException e) {
            throw new KeyException("key '" + kid + "': the JDK cannot use this public key ("
                    + algorithmName(info.getAlgorithm().getAlgorithm()) + ")", e);
        }
    }

    /** The public key that belongs to a private key, computed with Bouncy Castle's lightweight API. */
    private static SubjectPublicKeyInfo derivePublic(PrivateKeyInfo info, String kid) {
        AsymmetricKeyParameter privateKey;
        try {
            privateKey = PrivateKeyFactory.createKey(info);
        } catch (IOException | RuntimeException e) {
            throw new KeyException("key '" + kid + "': cannot read the private key ("
                    + algorithmName(info.getPrivateKeyAlgorithm().getAlgorithm()) + ")");
        }
        AsymmetricKeyParameter publicKey;
        if (privateKey instanceof RSAPrivateCrtKeyParameters rsa) {
            publicKey = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        } else if (privateKey instanceof ECPrivateKeyParameters ec) {
            ECDomainParameters domain = ec.getParameters();
            publicKey = new ECPublicKeyParameters(
                    new FixedPointCombMultiplier().multiply(domain.getG(), ec.getD()).normalize(), domain);
        } else if (privateKey instanceof Ed25519PrivateKeyParameters ed) {
            publicKey = ed.generatePublicKey();
        } else if (privateKey instanceof Ed448PrivateKeyParameters ed) {
            publicKey = ed.generatePublicKey();
        } else {
            throw new KeyException("key '" + kid + "': cannot derive the public key of this private key ("
                    + algorithmName(info.getPrivateKeyAlgorithm().getAlgorithm())
                    + "); add its PUBLIC KEY or CERTIFICATE to the PEM text");
        }
        try {
            return SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(publicKey);
        } catch (IOException e) {
            throw new KeyException("key '" + kid + "': cannot encode the derived public key", e);
        }
    }

    private static String algorithmName(ASN1ObjectIdentifier oid) {
        return KEY_ALGORITHMS.getOrDefault(oid.getId(), "OID " + oid.getId());
    }
}
