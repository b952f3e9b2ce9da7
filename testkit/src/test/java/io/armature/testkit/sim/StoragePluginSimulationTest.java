package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageProvider;
import io.armature.spi.storage.WriteBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A storage plugin author's view: the simulator runs the engine over the author's provider,
 * closes and reopens a durable engine across a crash, and gives a wiped node an empty directory.
 */
class StoragePluginSimulationTest {
    /** A "durable" engine: its records live in a map keyed by directory, as files would on disk. */
    static final class DiskLikeProvider implements StorageProvider {
        final Map<Path, MapStorage> disks = new HashMap<>();
        final List<String> opens = new ArrayList<>();

        @Override
        public String id() {
            return "disk-like";
        }

        @Override
        public StorageEngine open(final StorageConfig config) {
            final Path dir = config.directory();
            try {
                final boolean fresh = !Files.isDirectory(dir);
                Files.createDirectories(dir);
                if (fresh) {
                    disks.put(dir, new MapStorage());
                }
                opens.add(dir.getFileName() + (fresh ? " fresh" : " reopened"));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            final MapStorage disk = disks.get(dir);
            return new StorageEngine() {
                @Override
                public Durability durability() {
                    return Durability.SYNC;
                }

                @Override
                public byte[] get(final Keyspace k, final byte[] key) {
                    return disk.get(k, key);
                }

                @Override
                public void put(final Keyspace k, final byte[] key, final byte[] value) {
                    disk.put(k, key, value);
                }

                @Override
                public boolean delete(final Keyspace k, final byte[] key) {
                    return disk.delete(k, key);
                }

                @Override
                public void write(final WriteBatch batch) {
                    disk.write(batch);
                }

                @Override
                public void scan(final Keyspace k, final byte[] from, final byte[] to, final RecordVisitor visitor) {
                    disk.scan(k, from, to, visitor);
                }

                @Override
                public void drop(final Keyspace k) {
                    disk.drop(k);
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    @Test
    void aCrashReopensTheNodesStorageAndAWipeStartsItEmpty(@TempDir final Path dir) {
        final DiskLikeProvider provider = new DiskLikeProvider();
        final SimulationResult r = Simulation.builder().storage(provider).directory(dir).build().run(Scenario.parse(
            "seed=3 nodes=3 nrw=3/2/2 ops=c0:put:k0:+0,c1:put:k1:+0,c0:get:k0:+100,c1:put:k1:+200,c2:get:k1:+300"
                + " faults=crash@50+100:1,wipe@120+100:2"));
        assertTrue(r.report().ok(), r::failureReport);
        assertEquals(List.of("n1 fresh", "n2 fresh", "n3 fresh", "n2 reopened", "n3 fresh"), provider.opens);
        assertTrue(r.finalState().replicas("k0").size() == 3 && r.finalState().replicas("k1").size() == 3, r.finalState()::toString);
    }
}
