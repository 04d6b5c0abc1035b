package dev.jeton.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
import java.util.Optional;

/**
 * The file of an {@link EncryptedFileTokenStorage} on disk: read up to a limit; written to an owner-only temporary
 * file in the same directory, forced to disk and moved over the old one atomically; deleted durably. Thread-safe;
 * concurrent writes are ordered by the storage.
 */
final class TokenFile {

    private static final String TEMP_SUFFIX = ".tmp";

    /** Moves the finished temporary file into place; replaced in tests to simulate a crash before the move. */
    @FunctionalInterface
    interface Mover {
        void move(Path from, Path to) throws IOException;
    }

    /** The move every storage makes outside tests. */
    static final Mover ATOMIC_MOVE = (from, to) -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);

    private final Path file;
    private final Mover mover;

    TokenFile(Path file, Mover mover) {
        this.file = file;
        this.mover = mover;
    }

    /**
     * The file's bytes, at most {@code limit + 1} of them (more means too large); empty if there is no file.
     *
     * @throws TokenStorageException {@link TokenStorageException.Reason#IO}
     */
    Optional<byte[]> read(int limit) {
        try (InputStream in = Files.newInputStream(file)) {
            return Optional.of(in.readNBytes(limit + 1));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot read the token file " + file
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Replaces the file with {@code content}: a crash at any moment leaves the old file or the new one.
     *
     * @throws TokenStorageException {@link TokenStorageException.Reason#IO}; the old file is then unchanged
     */
    void write(byte[] content) {
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

    /**
     * Deletes the file, if there is one.
     *
     * @throws TokenStorageException {@link TokenStorageException.Reason#IO}
     */
    void delete() {
        try {
            Files.deleteIfExists(file);
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new TokenStorageException(TokenStorageException.Reason.IO, "cannot delete the token file " + file
                    + ": " + e.getClass().getSimpleName(), e);
        }
    }
}
