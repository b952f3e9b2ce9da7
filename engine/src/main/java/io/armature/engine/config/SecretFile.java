package io.armature.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Loads the cluster secret from a file, the way {@code ssh} treats a private key: a file that
 * group or others may read or write is refused, because anyone who can read it can forge frames
 * and anyone who can write it can lock the node out. On a file system without POSIX permissions
 * the check is skipped.
 * <p>
 * The secret is the file's bytes, with trailing line ends ({@code \n}, {@code \r}) removed so that
 * a file written by {@code echo} and one written without a newline hold the same secret; every
 * other byte counts. An empty secret is refused, as is a file over {@link #MAX_BYTES}.
 */
public final class SecretFile {
    /** Largest secret file read; a secret needs far less, and nothing is allocated beyond it. */
    public static final int MAX_BYTES = 4096;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
        PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretFile() {
    }

    /**
     * @param path the secret file
     * @return the secret's bytes, never empty
     * @throws IllegalArgumentException naming the path, if the file is missing, not a regular file,
     *                                  readable or writable by group or others, empty or too large
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public static byte[] read(final Path path) {
        try {
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("secret file " + path + " does not exist");
            }
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException("secret file " + path + " is not a regular file");
            }
            final PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            if (posix != null) {
                final Set<PosixFilePermission> loose = EnumSet.copyOf(GROUP_OR_OTHERS);
                loose.retainAll(posix.readAttributes().permissions());
                if (!loose.isEmpty()) {
                    throw new IllegalArgumentException("secret file " + path + " is accessible by group or others "
                        + loose + "; make it readable by its owner only (chmod 600 " + path + ")");
                }
            }
            final long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new IllegalArgumentException("secret file " + path + " has " + size + " bytes, more than the "
                    + MAX_BYTES + " a secret may have");
            }
            final byte[] bytes = Files.readAllBytes(path);
            int end = Math.min(bytes.length, MAX_BYTES);
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new IllegalArgumentException("secret file " + path + " is empty");
            }
            return Arrays.copyOf(bytes, end);
        } catch (final NoSuchFileException e) {
            throw new IllegalArgumentException("secret file " + path + " does not exist", e);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read secret file " + path, e);
        }
    }
}
