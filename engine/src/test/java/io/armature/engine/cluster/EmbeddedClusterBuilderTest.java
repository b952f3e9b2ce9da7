package io.armature.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Context;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.spi.PluginException;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedClusterBuilderTest {
    @Test
    void anUnknownPluginIdIsAnErrorListingWhatWasFound() {
        final PluginException e = assertThrows(PluginException.class,
            () -> EmbeddedCluster.builder().storage("no-such-storage").start());
        assertTrue(e.getMessage().contains("'memory'"), e.getMessage());
    }

    @Test
    void providerInstancesGetOneDataDirectoryPerNodeAndWipeEmptiesIt(@TempDir final Path dir) throws IOException {
        final List<Path> opened = new CopyOnWriteArrayList<>();
        final StorageProvider recording = new StorageProvider() {
            @Override
            public String id() {
                return "recording";
            }

            @Override
            public StorageEngine open(final StorageConfig config) {
                opened.add(config.directory());
                try {
                    Files.createDirectories(config.directory());
                    Files.writeString(config.directory().resolve("marker"), "x");
                } catch (final IOException e) {
                    throw new IllegalStateException(e);
                }
                return new MemoryStorageProvider().open(config);
            }
        };
        try (EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).partitions(64).storage(recording).dataDirectory(dir).start()) {
            assertEquals(List.of(dir.resolve("node-0"), dir.resolve("node-1"), dir.resolve("node-2")), opened);
            c.client().blocking().put("k".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[] {1}, Context.empty());
            final long before = c.node(2).incarnation();
            Files.writeString(dir.resolve("node-2").resolve("stale"), "y");
            c.wipe(2);
            assertFalse(Files.exists(dir.resolve("node-2").resolve("stale")), "wipe starts the node on an empty directory");
            assertEquals(4, opened.size());
            assertTrue(before != c.node(2).incarnation());
        }
    }
}
