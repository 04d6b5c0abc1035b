package dev.jeton.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * Keeps the tokens in one file, encrypted with AES-256-GCM under a key that comes either from a passphrase through
 * Argon2id (RFC 9106, Bouncy Castle) or from an AES-256 key, e.g. one held in a PKCS#12 key store.
 *
 * <pre>{@code
 * TokenStorage storage = EncryptedFileTokenStorage.builder(Path.of(home, ".myapp", "tokens"))
 *     .passphrase(passphrase)          // or .keyFromPkcs12(keystore, storePassword, "tokens", keyPassword)
 *     .build();
 * }</pre>
 *
 * <p>The file: a header (magic {@code JTKF}, format version, key source; for a passphrase the Argon2id memory,
 * iterations, parallelism and a random 16-byte salt; a 16-byte key check; the 12-byte nonce), then the ciphertext
 * and its 16-byte tag. The whole header is the GCM additional authenticated data, so no byte of the file can change
 * unnoticed. The key check (a GMAC under its own random nonce) tells a wrong passphrase or key
 * ({@link TokenStorageException.Reason#WRONG_KEY}) apart from a damaged file ({@link
 * TokenStorageException.Reason#CORRUPT}: a tampered byte, a truncation, not a token file). Argon2 parameters read
 * from a file are bounded before anything is derived, so a crafted header cannot make the client allocate
 * gigabytes.
 *
 * <p>Each {@link #save(TokenSet)} writes a temporary file in the same directory, created owner-only ({@code rw-------})
 * on POSIX file systems, forces it to disk, and moves it over the old file with {@code ATOMIC_MOVE}: a crash at any
 * moment leaves the old file or the new one, never a partial one. A directory that has to be created is created
 * owner-only. On file systems without POSIX permissions (Windows) the file inherits the directory's ACL: put it in
 * the user's profile.
 *
 * <p>The key derived from the passphrase is kept in memory for the life of this object, so Argon2 runs once per
 * process, not once per refresh. One process should own the file; concurrent writers in several processes are not
 * coordinated (the last atomic move wins). Thread-safe.
 */
public final class EncryptedFileTokenStorage implements TokenStorage {

    private static final int MAX_FILE_BYTES = 1024 * 1024;
    private final Path file;
    private final TokenFile onDisk;
    private final Object lock = new Object();
    // Guarded by lock.
    private final TokenFileFormat format;

    private EncryptedFileTokenStorage(Builder builder) {
        this.file = builder.file;
        this.onDisk = new TokenFile(builder.file, builder.mover);
        this.format = new TokenFileFormat(builder.file, builder.passphrase, builder.key, builder.argon2);
    }

    /**
     * Starts a storage for the given file.
     *
     * @param file the token file; its directory is created if missing
     * @return a builder; set exactly one of a passphrase or a key
     */
    public static Builder builder(Path file) {
        return new Builder(Objects.requireNonNull(file, "file").toAbsolutePath());
    }

    /**
     * The file this storage reads and writes.
     *
     * @return the absolute path
     */
    public Path file() {
        return file;
    }

    @Override
    public Optional<TokenSet> load() {
        Optional<byte[]> read = onDisk.read(MAX_FILE_BYTES);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes = read.get();
        if (bytes.length > MAX_FILE_BYTES) {
            throw format.corrupt("is larger than " + MAX_FILE_BYTES + " bytes");
        }
        synchronized (lock) {
            byte[] plaintext = format.decrypt(bytes);
            try {
                return Optional.of(decode(plaintext));
            } finally {
                Arrays.fill(plaintext, (byte) 0);
            }
        }
    }

    @Override
    public void save(TokenSet tokens) {
        byte[] plaintext = encode(Objects.requireNonNull(tokens, "tokens"));
        try {
            // Encrypt and move under one lock, so that concurrent saves land in the order they encrypted.
            synchronized (lock) {
                onDisk.write(format.encrypt(plaintext));
            }
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public void clear() {
        onDisk.delete();
    }

    private static byte[] encode(TokenSet tokens) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", tokens.accessToken());
        json.put("token_type", tokens.tokenType());
        json.put("expires_at_ms", tokens.expiresAt().map(Instant::toEpochMilli).orElse(null));
        json.put("refresh_token", tokens.refreshToken().orElse(null));
        json.put("scope", tokens.scopes().isEmpty() ? null : String.join(" ", tokens.scopes()));
        json.put("id_token", tokens.idToken().orElse(null));
        return Json.writeObject(json);
    }

    private TokenSet decode(byte[] plaintext) {
        try {
            Map<String, Object> json = Json.readObject(plaintext);
            TokenSet.Builder tokens = TokenSet.builder((String) json.get("access_token"))
                    .tokenType((String) json.get("token_type"));
            if (json.get("expires_at_ms") != null) {
                tokens.expiresAt(Instant.ofEpochMilli((Long) json.get("expires_at_ms")));
            }
            if (json.get("refresh_token") != null) {
                tokens.refreshToken((String) json.get("refresh_token"));
            }
            if (json.get("scope") != null) {
                tokens.scopes(List.of(((String) json.get("scope")).split(" ")));
            }
            if (json.get("id_token") != null) {
                tokens.idToken((String) json.get("id_token"));
            }
            return tokens.build();
        } catch (IOException | RuntimeException e) {
            throw format.corrupt("decrypts to something that is not a token set");
        }
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStorage[" + file + ", " + format.keySource() + "]";
    }

    /** Builds an {@link EncryptedFileTokenStorage}; set exactly one key source. Not thread-safe. */
    public static final class Builder {
        private final Path file;
        private char[] passphrase;
        private SecretKey key;
        private TokenFileFormat.Argon2 argon2 = TokenFileFormat.Argon2.DEFAULT;
        private boolean argon2Set;
        private TokenFile.Mover mover = TokenFile.ATOMIC_MOVE;

        private Builder(Path file) {
            this.file = file;
        }

        /**
         * Derives the key from a passphrase with Argon2id. The array is copied; clear yours when done.
         *
         * @param passphrase at least 8 characters
         * @return this builder
         * @throws IllegalArgumentException if shorter than 8 characters
         * @throws IllegalStateException if a key source was already set
         */
        public Builder passphrase(char[] passphrase) {
            checkUnset();
            if (passphrase == null || passphrase.length < 8) {
                throw new IllegalArgumentException("the passphrase must be at least 8 characters");
            }
            this.passphrase = passphrase.clone();
            return this;
        }

        /**
         * Sets the Argon2id cost for files this storage writes; default 64 MiB, 3 iterations, parallelism 1
         * (RFC 9106 §4). Files are read with the parameters in their header, within the same bounds.
         *
         * @param memoryKiB memory in KiB, 7 MiB to 1 GiB
         * @param iterations passes, 1 to 16; {@code memoryKiB × iterations} at least 36 MiB (OWASP's floor)
         * @param parallelism lanes, 1 to 16
         * @return this builder
         * @throws IllegalArgumentException if out of those bounds
         * @throws IllegalStateException if already set
         */
        public Builder argon2(int memoryKiB, int iterations, int parallelism) {
            TokenEndpointClient.Builder.once(!argon2Set, "argon2", argon2);
            TokenFileFormat.Argon2 params = new TokenFileFormat.Argon2(memoryKiB, iterations, parallelism);
            if (!params.acceptable()) {
                throw new IllegalArgumentException("Argon2 parameters out of bounds: memory 7 MiB to 1 GiB,"
                        + " iterations 1 to 16, parallelism 1 to 16, memory × iterations at least 36 MiB; was "
                        + params);
            }
            this.argon2 = params;
            this.argon2Set = true;
            return this;
        }

        /**
         * Encrypts under an AES-256 key held elsewhere (a key store, a platform key service).
         *
         * @param key an AES key of 256 bits
         * @return this builder
         * @throws IllegalArgumentException if not an AES key of 32 bytes
         * @throws IllegalStateException if a key source was already set
         */
        public Builder key(SecretKey key) {
            checkUnset();
            Objects.requireNonNull(key, "key");
            byte[] encoded = key.getEncoded();
            if (!"AES".equalsIgnoreCase(key.getAlgorithm()) || (encoded != null && encoded.length != 32)) {
                throw new IllegalArgumentException("the key must be an AES-256 key, was " + key.getAlgorithm()
                        + (encoded == null ? "" : " of " + encoded.length * 8 + " bits"));
            }
            if (encoded != null) {
                Arrays.fill(encoded, (byte) 0);
            }
            this.key = key;
            return this;
        }

        /**
         * Encrypts under an AES-256 secret key entry of a PKCS#12 key store.
         *
         * @param keyStore the {@code .p12} file
         * @param storePassword the key store's password
         * @param alias the entry's alias
         * @param keyPassword the entry's password
         * @return this builder
         * @throws TokenStorageException if the key store cannot be read ({@link TokenStorageException.Reason#IO})
         *         or a password is wrong ({@link TokenStorageException.Reason#WRONG_KEY})
         * @throws IllegalArgumentException if the alias names no AES-256 secret key
         * @throws IllegalStateException if a key source was already set
         */
        public Builder keyFromPkcs12(Path keyStore, char[] storePassword, String alias, char[] keyPassword) {
            checkUnset();
            Key entry;
            try (InputStream in = Files.newInputStream(keyStore)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, storePassword);
                entry = store.getKey(alias, keyPassword);
            } catch (UnrecoverableKeyException e) {
                throw new TokenStorageException(TokenStorageException.Reason.WRONG_KEY, "the key password for alias "
                        + alias + " in " + keyStore + " is wrong", e);
            } catch (IOException e) {
                if (e.getCause() instanceof UnrecoverableKeyException) {
                    throw new TokenStorageException(TokenStorageException.Reason.WRONG_KEY, "the key store password"
                            + " of " + keyStore + " is wrong", e);
                }
                throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot read the key store "
                        + keyStore + ": " + e.getClass().getSimpleName(), e);
            } catch (GeneralSecurityException e) {
                throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot read the key store "
                        + keyStore + ": " + e.getClass().getSimpleName(), e);
            }
            if (!(entry instanceof SecretKey secret)) {
                throw new IllegalArgumentException("alias " + alias + " in " + keyStore + " is not a secret key");
            }
            return key(secret);
        }

        Builder mover(TokenFile.Mover mover) {
            this.mover = mover;
            return this;
        }

        private void checkUnset() {
            if (passphrase != null || key != null) {
                throw new IllegalStateException("a key source was already set; choose one of passphrase, key,"
                        + " keyFromPkcs12");
            }
        }

        /**
         * Builds the storage. Reads nothing yet: a missing, corrupt or foreign file is reported by
         * {@link TokenStorage#load()}.
         *
         * @return the storage
         * @throws IllegalStateException if no key source was set
         */
        public EncryptedFileTokenStorage build() {
            if (passphrase == null && key == null) {
                throw new IllegalStateException("set a key source: passphrase(chars), key(secretKey) or"
                        + " keyFromPkcs12(...)");
            }
            return new EncryptedFileTokenStorage(this);
        }
    }
}
