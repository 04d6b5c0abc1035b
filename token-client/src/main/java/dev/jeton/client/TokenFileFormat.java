package dev.jeton.client;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The format of an {@link EncryptedFileTokenStorage} file (described there): the header, the key from a passphrase
 * through Argon2id or given, the key check, and AES-256-GCM over the token set with the header as additional data.
 * Keeps the key last derived from the passphrase, so Argon2 runs once per process. Not thread-safe: the storage calls
 * it under its lock.
 */
final class TokenFileFormat {

    private static final byte[] MAGIC = {'J', 'T', 'K', 'F'};
    private static final byte VERSION = 1;
    private static final byte KDF_ARGON2ID = 1;
    private static final byte KDF_KEY = 2;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final byte[] KEY_CHECK_AAD = "jeton token file key check".getBytes(StandardCharsets.US_ASCII);

    /** Argon2id cost parameters. */
    record Argon2(int memoryKiB, int iterations, int parallelism) {

        /** OWASP's floor for Argon2id is m×t ≥ 36 MiB-passes with m ≥ 7 MiB; RFC 9106 §4's second option is 64 MiB. */
        static final Argon2 DEFAULT = new Argon2(64 * 1024, 3, 1);

        boolean acceptable() {
            return memoryKiB >= 7 * 1024 && memoryKiB <= 1024 * 1024 && iterations >= 1 && iterations <= 16
                    && parallelism >= 1 && parallelism <= 16 && (long) memoryKiB * iterations >= 36 * 1024
                    && memoryKiB >= 8 * parallelism;
        }
    }

    private final Path file;
    private final char[] passphrase;
    private final SecretKey key;
    private final Argon2 argon2;
    private final SecureRandom random = new SecureRandom();

    // The key last derived from the passphrase, with the salt and parameters it was derived with.
    private byte[] derivedSalt;
    private Argon2 derivedWith;
    private SecretKey derivedKey;

    /** For {@code file} (named in error messages), with exactly one of {@code passphrase} and {@code key}. */
    TokenFileFormat(Path file, char[] passphrase, SecretKey key, Argon2 argon2) {
        this.file = file;
        this.passphrase = passphrase;
        this.key = key;
        this.argon2 = argon2;
    }

    /** What the key comes from, for {@code toString}. */
    String keySource() {
        return passphrase != null ? "Argon2id passphrase" : "AES key";
    }

    /** The whole file for {@code plaintext}: header, then ciphertext and tag. */
    byte[] encrypt(byte[] plaintext) {
        ByteBuffer header = ByteBuffer.allocate(96);
        header.put(MAGIC).put(VERSION);
        SecretKey dataKey;
        if (passphrase != null) {
            if (derivedKey == null || !derivedWith.equals(argon2)) {
                byte[] salt = new byte[SALT_BYTES];
                random.nextBytes(salt);
                remember(salt, argon2, derive(salt, argon2));
            }
            header.put(KDF_ARGON2ID).putInt(argon2.memoryKiB()).putInt(argon2.iterations())
                    .put((byte) argon2.parallelism()).put(derivedSalt);
            dataKey = derivedKey;
        } else {
            header.put(KDF_KEY);
            dataKey = key;
        }
        byte[] checkNonce = nonce();
        header.put(checkNonce).put(keyCheck(dataKey, checkNonce));
        byte[] dataNonce = nonce();
        header.put(dataNonce);
        byte[] aad = Arrays.copyOf(header.array(), header.position());
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BYTES * 8, dataNonce));
            gcm.updateAAD(aad);
            byte[] sealed = gcm.doFinal(plaintext);
            byte[] content = Arrays.copyOf(aad, aad.length + sealed.length);
            System.arraycopy(sealed, 0, content, aad.length, sealed.length);
            return content;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available in every JDK 17", e);
        }
    }

    /**
     * The plaintext of a whole file.
     *
     * @throws TokenStorageException {@link TokenStorageException.Reason#WRONG_KEY} or
     *     {@link TokenStorageException.Reason#CORRUPT}
     */
    byte[] decrypt(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < MAGIC.length + 2 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw corrupt("is not a Jeton token file (or is truncated)");
        }
        in.position(MAGIC.length);
        if (in.get() != VERSION) {
            throw corrupt("has an unknown format version");
        }
        byte kdf = in.get();
        SecretKey dataKey;
        try {
            if (kdf == KDF_ARGON2ID) {
                if (passphrase == null) {
                    throw wrongKey("is locked with a passphrase, and this storage was given a key");
                }
                Argon2 params = new Argon2(in.getInt(), in.getInt(), in.get());
                if (!params.acceptable()) {
                    throw corrupt("has Argon2 parameters out of bounds");
                }
                byte[] salt = new byte[SALT_BYTES];
                in.get(salt);
                if (derivedKey == null || !derivedWith.equals(params) || !Arrays.equals(derivedSalt, salt)) {
                    remember(salt, params, derive(salt, params));
                }
                dataKey = derivedKey;
            } else if (kdf == KDF_KEY) {
                if (key == null) {
                    throw wrongKey("is locked with a key, and this storage was given a passphrase");
                }
                dataKey = key;
            } else {
                throw corrupt("names an unknown key source");
            }
            byte[] checkNonce = new byte[NONCE_BYTES];
            byte[] check = new byte[TAG_BYTES];
            byte[] dataNonce = new byte[NONCE_BYTES];
            in.get(checkNonce).get(check).get(dataNonce);
            if (!MessageDigest.isEqual(check, keyCheck(dataKey, checkNonce))) {
                throw wrongKey("cannot be opened with this " + (passphrase != null ? "passphrase" : "key")
                        + " (or its header was altered)");
            }
            if (in.remaining() < TAG_BYTES) {
                throw corrupt("is truncated");
            }
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, dataKey, new GCMParameterSpec(TAG_BYTES * 8, dataNonce));
            gcm.updateAAD(bytes, 0, in.position());
            return gcm.doFinal(bytes, in.position(), in.remaining());
        } catch (java.nio.BufferUnderflowException e) {
            throw corrupt("is truncated");
        } catch (AEADBadTagException e) {
            throw corrupt("fails authentication: it was altered or truncated");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available in every JDK 17", e);
        }
    }

    private void remember(byte[] salt, Argon2 params, SecretKey derived) {
        derivedSalt = salt;
        derivedWith = params;
        derivedKey = derived;
    }

    private SecretKey derive(byte[] salt, Argon2 params) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB()).withIterations(params.iterations())
                .withParallelism(params.parallelism()).withSalt(salt).build());
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] secret = new byte[encoded.remaining()];
        encoded.get(secret);
        Arrays.fill(encoded.array(), (byte) 0);
        byte[] derived = new byte[32];
        try {
            generator.generateBytes(secret, derived);
            return new SecretKeySpec(derived, "AES");
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(derived, (byte) 0);
        }
    }

    /** A GMAC of a fixed text under the key and a random nonce: proves the key without revealing anything of it. */
    private static byte[] keyCheck(SecretKey key, byte[] nonce) {
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            gcm.updateAAD(KEY_CHECK_AAD);
            return gcm.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is available in every JDK 17", e);
        }
    }

    private byte[] nonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        return nonce;
    }

    /** The file is damaged, or not a token file. */
    TokenStorageException corrupt(String what) {
        return new TokenStorageException(TokenStorageException.Reason.CORRUPT, "the token file " + file + " " + what
                + "; it is refused: sign in again (delete the file to start afresh)", null);
    }

    private TokenStorageException wrongKey(String what) {
        return new TokenStorageException(TokenStorageException.Reason.WRONG_KEY, "the token file " + file + " "
                + what, null);
    }
}
