package io.armature.storage.bdb;

import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bad directories and faults at open: each is a {@link StorageException} naming the path, and
 * nothing already on disk is replaced.
 */
class BdbOpenErrorsTest {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    private static StorageEngine open(final Path dir, final String... properties) {
        final StorageConfig.Builder b = StorageConfig.builder().directory(dir).property("bdb.cache-size", "8m");
        boolean freeDiskSet = false;
        for (int i = 0; i < properties.length; i += 2) {
            b.property(properties[i], properties[i + 1]);
            freeDiskSet |= properties[i].equals("bdb.free-disk");
        }
        if (!freeDiskSet) {
            b.property("bdb.free-disk", "0");
        }
        return new BdbStorageProvider().open(b.build());
    }

    private static StorageException assertOpenFails(final Path dir, final String expectedWords, final String... properties) {
        final StorageException e = assertThrows(StorageException.class, () -> open(dir, properties).close());
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().normalize().toString()), () -> "message must name the path: " + e.getMessage());
        assertTrue(e.getMessage().contains(expectedWords), () -> "message must say '" + expectedWords + "': " + e.getMessage());
        return e;
    }

    private Path storeWithOneRecord() {
        final Path dir = tmp.resolve("node");
        try (StorageEngine engine = open(dir)) {
            engine.put(Keyspace.partition(1), KEY, "v".getBytes(StandardCharsets.UTF_8));
        }
        return dir;
    }

    @Test
    @DisplayName("a directory that is not writable is refused, naming the path")
    void notWritable() throws IOException {
        final Path dir = Files.createDirectory(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!canCreateFileIn(dir), "running as root: permissions do not stop writes");
            assertOpenFails(dir, "not writable");
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    @DisplayName("a path below a regular file is refused, naming the path (unwritable even for root)")
    void belowAFile() throws IOException {
        final Path file = Files.writeString(tmp.resolve("file"), "x");
        assertOpenFails(file.resolve("node"), "cannot create directory");
        assertOpenFails(file, "not a directory");
    }

    @Test
    @DisplayName("a disk with less free space than bdb.free-disk is refused at open, naming the path")
    void diskFull() {
        assertOpenFails(tmp.resolve("node"), "disk full", "bdb.free-disk", "1000000t");
    }

    @Test
    @DisplayName("a log file overwritten with garbage is refused at open and left as it was")
    void corruptLog() throws IOException {
        final Path dir = storeWithOneRecord();
        final Path log = dir.resolve("00000000.jdb");
        final byte[] garbage = new byte[(int) Files.size(log)];
        new SplittableRandom(42).nextBytes(garbage);
        Files.write(log, garbage);
        assertOpenFails(dir, "cannot open");
        assertArrayEquals(garbage, Files.readAllBytes(log), "the corrupt file must not be rewritten");
    }

    @Test
    @DisplayName("a directory holding files JE did not write is refused and the files are kept")
    void foreignFiles() throws IOException {
        final Path dir = Files.createDirectory(tmp.resolve("home"));
        Files.writeString(dir.resolve("notes.txt"), "precious");
        final StorageException e = assertOpenFails(dir, "not BerkeleyDB JE's");
        assertTrue(e.getMessage().contains("notes.txt"), e::getMessage);
        assertEquals("precious", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    @DisplayName("a store whose log files vanished is not silently recreated empty")
    void lostLogFiles() throws IOException {
        final Path dir = storeWithOneRecord();
        try (Stream<Path> files = Files.list(dir)) {
            for (final Path p : files.filter(p -> p.getFileName().toString().endsWith(".jdb")).toList()) {
                Files.delete(p);
            }
        }
        assertOpenFails(dir, "missing");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".jdb")), "no fresh log may be created");
        }
    }

    @Test
    @DisplayName("a directory already open in this JVM is refused until it is closed")
    void alreadyOpen() {
        final Path dir = tmp.resolve("node");
        try (StorageEngine first = open(dir)) {
            assertOpenFails(dir, "already open");
            first.put(Keyspace.meta(), KEY, KEY);
        }
        try (StorageEngine again = open(dir)) {
            assertArrayEquals(KEY, again.get(Keyspace.meta(), KEY));
        }
    }

    @Test
    @DisplayName("a store with more than ten log files (hex-numbered, 0000000a.jdb) reopens")
    void manyLogFiles() throws IOException {
        final Path dir = tmp.resolve("node");
        final byte[] value = new byte[64 * 1024];
        try (StorageEngine engine = open(dir, "bdb.log-file-size", "1m")) {
            for (int i = 0; i < 200; i++) {
                engine.put(Keyspace.partition(1), ("k" + i).getBytes(StandardCharsets.UTF_8), value);
            }
        }
        assertTrue(Files.exists(dir.resolve("0000000a.jdb")), "the store should span more than ten log files");
        try (StorageEngine engine = open(dir, "bdb.log-file-size", "1m")) {
            assertArrayEquals(value, engine.get(Keyspace.partition(1), "k199".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    @DisplayName("JE's own log stays inside the node directory")
    void jeLogInside() throws IOException {
        final Path dir = storeWithOneRecord();
        try (Stream<Path> files = Files.list(dir)) {
            final List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.contains("je.info.0"), names::toString);
        }
    }

    private static boolean canCreateFileIn(final Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
            return true;
        } catch (final IOException e) {
            return false;
        }
    }
}
