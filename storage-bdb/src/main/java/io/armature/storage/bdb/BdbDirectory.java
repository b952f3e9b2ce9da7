package io.armature.storage.bdb;

import io.armature.spi.storage.StorageException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a node directory before JE touches it, so that a bad directory is a clear error naming
 * the path and so that existing data is never silently replaced by a fresh environment.
 */
final class BdbDirectory {
    /** Written after the first successful open; its presence means the .jdb files must be too. */
    static final String MARKER = "armature-bdb.properties";
    private static final Pattern JE_FILE = Pattern.compile("[0-9a-f]{8}\\.(jdb|bup|del)|je\\..*");
    private static final Pattern LOG_FILE = Pattern.compile("[0-9a-f]{8}\\.jdb");

    private BdbDirectory() {
    }

    /**
     * Creates the directory if needed and refuses anything that JE would misread or overwrite.
     */
    static void prepare(final Path dir, final BdbSettings settings) {
        if (dir == null) {
            throw new StorageException("bdb storage needs a directory (StorageConfig.directory is null)");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new StorageException("bdb storage: " + dir + " exists and is not a directory");
        }
        try {
            Files.createDirectories(dir);
        } catch (final IOException e) {
            throw new StorageException("bdb storage: cannot create directory " + dir + ": " + e, e);
        }
        probeWritable(dir);
        final Set<String> foreign = new TreeSet<>();
        boolean hasLog = false;
        boolean hasMarker = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (final Path entry : entries) {
                final String name = entry.getFileName().toString();
                if (name.equals(MARKER)) {
                    hasMarker = true;
                } else if (JE_FILE.matcher(name).matches() && Files.isRegularFile(entry)) {
                    hasLog |= LOG_FILE.matcher(name).matches();
                } else {
                    foreign.add(name);
                }
            }
        } catch (final IOException e) {
            throw new StorageException("bdb storage: cannot list directory " + dir + ": " + e, e);
        }
        if (!foreign.isEmpty()) {
            throw new StorageException("bdb storage: " + dir + " holds files that are not BerkeleyDB JE's " + foreign
                + "; refusing to create a store over them (use an empty directory)");
        }
        if (hasMarker && !hasLog) {
            throw new StorageException("bdb storage: " + dir + " held a bdb store (" + MARKER + ") but its .jdb log files are missing;"
                + " refusing to start empty over lost data (delete " + MARKER + " to start afresh deliberately)");
        }
        checkFreeSpace(dir, settings.freeDisk);
    }

    static void markCreated(final Path dir) {
        final Path marker = dir.resolve(MARKER);
        if (Files.exists(marker)) {
            return;
        }
        try {
            Files.write(marker, "provider=bdb\nformat=1\n".getBytes(StandardCharsets.UTF_8));
        } catch (final IOException e) {
            throw new StorageException("bdb storage: cannot write " + marker + ": " + e, e);
        }
    }

    private static void probeWritable(final Path dir) {
        // Files.isWritable is not enough: it says yes to root on a read-only mount. Creating a file is the honest test.
        try {
            final Path probe = Files.createTempFile(dir, "je.probe-", ".tmp");
            Files.delete(probe);
        } catch (final IOException e) {
            throw new StorageException("bdb storage: directory " + dir + " is not writable: " + e, e);
        }
    }

    private static void checkFreeSpace(final Path dir, final long required) {
        final long usable;
        try {
            usable = Files.getFileStore(dir).getUsableSpace();
        } catch (final IOException e) {
            throw new StorageException("bdb storage: cannot read free space of " + dir + ": " + e, e);
        }
        if (usable < required) {
            throw new StorageException("bdb storage: disk full at " + dir + ": " + usable + " bytes usable, " + BdbSettings.FREE_DISK
                + " requires " + required);
        }
    }
}
