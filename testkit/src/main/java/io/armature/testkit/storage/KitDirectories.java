package io.armature.testkit.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Fresh data directories for the kit, shared by its JUnit and jqwik groups (jqwik has no
 * {@code @TempDir}).
 */
final class KitDirectories {
    private KitDirectories() {
    }

    static Path create() {
        try {
            return Files.createTempDirectory("armature-storage-kit-");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(final Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
