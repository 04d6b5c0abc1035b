package dev.jeton.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedFileTokenStorageTest {

    /** OWASP's floor (12 MiB, 3 passes): keeps the tests fast. */
    private static final int MEMORY_KIB = 12 * 1024;

    @TempDir
    Path dir;

    private final TokenSet tokens = TokenSet.builder("access-token-1").refreshToken("refresh-token-1")
            .idToken("id.token.sig").scopes(List.of("openid", "profile"))
            .expiresAt(Instant.parse("2030-01-01T00:15:00.123Z")).build();

    private EncryptedFileTokenStorage withPassphrase(Path file, String passphrase) {
        return EncryptedFileTokenStorage.builder(file).passphrase(passphrase.toCharArray())
                .argon2(MEMORY_KIB, 3, 1).build();
    }

    private Path file() {
        return dir.resolve("session").resolve("tokens.bin");
    }

    @Test
    void tokensSurviveARoundTripAndNothingIsInTheClear() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);

        assertThat(withPassphrase(file(), "correct horse battery").load()).contains(tokens);
        String raw = new String(Files.readAllBytes(file()), StandardCharsets.ISO_8859_1);
        assertThat(raw).startsWith("JTKF").doesNotContain("access-token", "refresh-token", "id.token", "openid");
    }

    @Test
    void aMissingFileIsNoTokensAndClearRemovesTheFile() {
        EncryptedFileTokenStorage storage = withPassphrase(file(), "correct horse battery");
        assertThat(storage.load()).isEmpty();

        storage.save(tokens);
        storage.clear();

        assertThat(Files.exists(file())).isFalse();
        assertThat(storage.load()).isEmpty();
    }

    @Test
    void theFileAndANewDirectoryAreOwnerOnly() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);

        assertThat(Files.getPosixFilePermissions(file()))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(file().getParent())).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    }

    @Test
    void aWrongPassphraseIsReportedAsSuch() {
        withPassphrase(file(), "correct horse battery").save(tokens);

        assertThatThrownBy(() -> withPassphrase(file(), "incorrect horse battery").load())
                .isInstanceOf(TokenStorageException.class)
                .satisfies(e -> assertThat(((TokenStorageException) e).reason())
                        .isEqualTo(TokenStorageException.Reason.WRONG_KEY))
                .hasMessageContaining("cannot be opened with this passphrase");
    }

    @Test
    void aTamperedByteAnywhereAfterTheKeyCheckIsCorrupt() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);
        byte[] original = Files.readAllBytes(file());
        int headerEnd = 4 + 2 + 9 + 16 + 12 + 16;
        EncryptedFileTokenStorage reader = withPassphrase(file(), "correct horse battery");

        for (int i = headerEnd; i < original.length; i++) {
            byte[] tampered = original.clone();
            tampered[i] ^= 0x01;
            Files.write(file(), tampered);
            assertThatThrownBy(reader::load).as("byte %d", i).isInstanceOf(TokenStorageException.class)
                    .satisfies(e -> assertThat(((TokenStorageException) e).reason())
                            .isEqualTo(TokenStorageException.Reason.CORRUPT));
        }
    }

    @Test
    void aTamperedHeaderIsRefused() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);
        byte[] original = Files.readAllBytes(file());
        EncryptedFileTokenStorage reader = withPassphrase(file(), "correct horse battery");

        // Magic, version, key source, Argon2 memory (high byte: out of bounds), salt, key check.
        for (int i : new int[] {0, 4, 5, 6, 15, 20, 31, 43, 50}) {
            byte[] tampered = original.clone();
            tampered[i] ^= 0x40;
            Files.write(file(), tampered);
            assertThatThrownBy(reader::load).as("byte %d", i).isInstanceOf(TokenStorageException.class)
                    .satisfies(e -> assertThat(((TokenStorageException) e).reason())
                            .isIn(TokenStorageException.Reason.CORRUPT, TokenStorageException.Reason.WRONG_KEY));
        }
    }

    @Test
    void hugeArgon2ParametersInAHeaderAreRefusedBeforeAnyDerivation() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);
        byte[] tampered = Files.readAllBytes(file());
        ByteBuffer.wrap(tampered).putInt(6, Integer.MAX_VALUE);
        Files.write(file(), tampered);

        assertThatThrownBy(() -> withPassphrase(file(), "correct horse battery").load())
                .isInstanceOf(TokenStorageException.class).hasMessageContaining("Argon2 parameters out of bounds");
    }

    @Test
    void aTruncatedFileIsCorrupt() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);
        byte[] original = Files.readAllBytes(file());
        EncryptedFileTokenStorage reader = withPassphrase(file(), "correct horse battery");

        for (int length : new int[] {0, 3, 5, 20, 60, 70, 80, original.length - 17, original.length - 1}) {
            Files.write(file(), Arrays.copyOf(original, length));
            assertThatThrownBy(reader::load).as("length %d", length).isInstanceOf(TokenStorageException.class)
                    .satisfies(e -> assertThat(((TokenStorageException) e).reason())
                            .isEqualTo(TokenStorageException.Reason.CORRUPT));
        }
    }

    @Test
    void aCrashBetweenWriteAndRenameLeavesTheOldFileUsable() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);
        TokenSet next = TokenSet.builder("access-token-2").refreshToken("refresh-token-2").build();
        EncryptedFileTokenStorage crashing = EncryptedFileTokenStorage.builder(file())
                .passphrase("correct horse battery".toCharArray()).argon2(MEMORY_KIB, 3, 1)
                .mover((from, to) -> {
                    throw new SimulatedCrash();
                }).build();

        assertThatThrownBy(() -> crashing.save(next)).isInstanceOf(SimulatedCrash.class);

        // The process "died": a new one finds the old tokens, and a stray temporary file that nothing reads.
        try (var files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith(".tokens.bin.") && name.endsWith(".tmp"));
        }
        EncryptedFileTokenStorage restarted = withPassphrase(file(), "correct horse battery");
        assertThat(restarted.load()).contains(tokens);
        restarted.save(next);
        assertThat(restarted.load()).contains(next);
        try (var files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("tokens.bin");
        }
    }

    @Test
    void aFailedWriteKeepsThePreviousFileAndReportsIo() throws Exception {
        withPassphrase(file(), "correct horse battery").save(tokens);
        EncryptedFileTokenStorage failing = EncryptedFileTokenStorage.builder(file())
                .passphrase("correct horse battery".toCharArray()).argon2(MEMORY_KIB, 3, 1)
                .mover((from, to) -> {
                    throw new java.io.IOException("disk full");
                }).build();

        assertThatThrownBy(() -> failing.save(tokens)).isInstanceOf(TokenStorageException.class)
                .satisfies(e -> assertThat(((TokenStorageException) e).reason())
                        .isEqualTo(TokenStorageException.Reason.IO));

        assertThat(withPassphrase(file(), "correct horse battery").load()).contains(tokens);
        try (var files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("tokens.bin");
        }
    }

    @Test
    void aKeyFromAPkcs12KeyStoreEncryptsTheFile() throws Exception {
        Path keyStore = dir.resolve("keys.p12");
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        SecretKey key = generator.generateKey();
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setEntry("tokens", new KeyStore.SecretKeyEntry(key),
                new KeyStore.PasswordProtection("key-pass".toCharArray()));
        try (OutputStream out = Files.newOutputStream(keyStore)) {
            store.store(out, "store-pass".toCharArray());
        }

        EncryptedFileTokenStorage.builder(file())
                .keyFromPkcs12(keyStore, "store-pass".toCharArray(), "tokens", "key-pass".toCharArray())
                .build().save(tokens);

        assertThat(EncryptedFileTokenStorage.builder(file()).key(key).build().load()).contains(tokens);
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).keyFromPkcs12(keyStore,
                "wrong".toCharArray(), "tokens", "key-pass".toCharArray())).isInstanceOf(TokenStorageException.class)
                .satisfies(e -> assertThat(((TokenStorageException) e).reason())
                        .isEqualTo(TokenStorageException.Reason.WRONG_KEY));
        SecretKey other = generator.generateKey();
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).key(other).build().load())
                .isInstanceOf(TokenStorageException.class).hasMessageContaining("cannot be opened with this key");
        assertThatThrownBy(() -> withPassphrase(file(), "correct horse battery").load())
                .isInstanceOf(TokenStorageException.class).hasMessageContaining("locked with a key");
    }

    @Test
    void weakOrConflictingSettingsAreRefused() {
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).passphrase("short".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).argon2(8 * 1024, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("36 MiB");
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).passphrase("long enough".toCharArray())
                .passphrase("long enough".toCharArray())).isInstanceOf(IllegalStateException.class);
        SecretKey aes128 = new javax.crypto.spec.SecretKeySpec(new byte[16], "AES");
        assertThatThrownBy(() -> EncryptedFileTokenStorage.builder(file()).key(aes128))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AES-256");
        assertThat(withPassphrase(file(), "correct horse battery").toString()).doesNotContain("horse");
        assertThat(Set.of(TokenStorageException.Reason.values())).hasSize(3);
    }

    /** Stands for the process dying: nothing after it runs, so nothing cleans up. */
    private static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
    }
}
