package dev.jeton.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

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

    private static final byte[] MAGIC = {'J', 'T', 'K', 'F'};
    private static final byte VERSION = 1;
    private static final byte KDF_ARGON2ID = 1;
    private static final byte KDF_KEY = 2;
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int MAX_FILE_BYTES = 1024 * 1024;
    private static final byte[] KEY_CHECK_AAD = "jeton token file key check".getBytes(StandardCharsets.US_ASCII);
    private static final String TEMP_SUFFIX = ".tmp";

    /** Moves the finished temporary file into place; replaced in tests to simulate a crash before the move. */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

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
    private final Mover mover;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();

    // The key last derived from the passphrase, with the salt and parameters it was derived with; guarded by lock.
    private byte[] derivedSalt;
    private Argon2 derivedWith;
    private SecretKey derivedKey;

    private EncryptedFileTokenStorage(Builder builder) {
        this.file = builder.file;
        this.passphrase = builder.passphrase;
        this.key = builder.key;
        this.argon2 = builder.argon2;
        this.mover = builder.mover;
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
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot read the token file " + file
                    + ": " + e.getClass().getSimpleName(), e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw corrupt("is larger than " + MAX_FILE_BYTES + " bytes");
        }
        synchronized (lock) {
            byte[] plaintext = decrypt(bytes);
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
                write(encrypt(plaintext));
            }
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    @Override
    public void clear() {
        try {
            Files.deleteIfExists(file);
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot delete the token file " + file
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }

    private byte[] encrypt(byte[] plaintext) {
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

    private byte[] decrypt(byte[] bytes) {
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

    private void write(byte[] content) {
        Path directory = file.getParent();
        Path temp = null;
        try {
            boolean posix = createDirectory(directory);
            FileAttribute<?>[] ownerOnly = posix ? new FileAttribute<?>[] {
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
            temp = Files.createTempFile(directory, tempPrefix(), TEMP_SUFFIX, ownerOnly);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            mover.move(temp, file);
            temp = null;
            syncDirectory(directory);
            removeLeftovers(directory);
        } catch (IOException | RuntimeException e) {
            // An Error (the process dying) skips this, as a crash would; the next successful save removes the file.
            deleteQuietly(temp);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot write the token file " + file
                    + " (the previous one, if any, is unchanged): " + e.getClass().getSimpleName(), e);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The leftover is encrypted and owner-only; the next successful save removes it.
            }
        }
    }

    /** Creates the directory owner-only if missing; answers whether it supports POSIX permissions. */
    private static boolean createDirectory(Path directory) throws IOException {
        boolean posix = Files.getFileStore(Files.exists(directory) ? directory : existingAncestor(directory))
                .supportsFileAttributeView(PosixFileAttributeView.class);
        if (!Files.isDirectory(directory)) {
            try {
                if (posix) {
                    Files.createDirectories(directory,
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            } catch (FileAlreadyExistsException e) {
                throw new IOException(directory + " exists and is not a directory", e);
            }
        }
        return posix;
    }

    private static Path existingAncestor(Path path) {
        Path ancestor = path;
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        return ancestor == null ? path.getRoot() : ancestor;
    }

    private String tempPrefix() {
        return "." + file.getFileName() + ".";
    }

    /** Temporary files a crash left behind between write and move. */
    private void removeLeftovers(Path directory) throws IOException {
        String prefix = tempPrefix();
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX);
        })) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the move itself is still atomic there.
        }
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
            throw corrupt("decrypts to something that is not a token set");
        }
    }

    private TokenStorageException corrupt(String what) {
        return new TokenStorageException(TokenStorageException.Reason.CORRUPT, "the token file " + file + " " + what
                + "; it is refused: sign in again (delete the file to start afresh)", null);
    }

    private TokenStorageException wrongKey(String what) {
        return new TokenStorageException(TokenStorageException.Reason.WRONG_KEY, "the token file " + file + " "
                + what, null);
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStorage[" + file + ", " + (passphrase != null ? "Argon2id passphrase" : "AES key")
                + "]";
    }

    /** Builds an {@link EncryptedFileTokenStorage}; set exactly one key source. Not thread-safe. */
    public static final class Builder {
        private final Path file;
        private char[] passphrase;
        private SecretKey key;
        private Argon2 argon2 = Argon2.DEFAULT;
        private boolean argon2Set;
        private Mover mover = (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);

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
            Argon2 params = new Argon2(memoryKiB, iterations, parallelism);
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

        Builder mover(Mover mover) {
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
