package io.armature.testkit.storage;

import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;
import io.armature.spi.storage.WriteBatch;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Group;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.armature.testkit.storage.KitData.P1;
import static io.armature.testkit.storage.KitData.P2;
import static io.armature.testkit.storage.KitData.assertRejection;
import static io.armature.testkit.storage.KitData.b;
import static io.armature.testkit.storage.KitData.bytes;
import static io.armature.testkit.storage.KitData.k;
import static io.armature.testkit.storage.KitData.scanAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The conformance kit for {@link StorageEngine}s: every storage plugin proves itself by extending
 * this class, and the kit runs itself against the built-in {@code memory} engine.
 *
 * <h2>How to use</h2>
 * <pre>{@code
 * class MyStorageEngineTest extends StorageEngineContract {
 *     protected StorageEngine open(Path directory) {
 *         return new MyStorageProvider().open(StorageConfig.builder().directory(directory).build());
 *     }
 * }
 * }</pre>
 * Override {@link #supportsReopen()} to return false for an engine that keeps nothing across
 * close (durability {@code none}): the reopen group is then reported as skipped. Override
 * {@link #maxRecordSize()} if {@link #open} configures a limit other than the default.
 *
 * <h2>What each group checks</h2>
 * <ul>
 *   <li>{@link Writes}: read-your-write, overwrite, delete, returned arrays are copies.</li>
 *   <li>{@link Keyspaces}: partitions, hints and metadata are separate namespaces; dropping one
 *       leaves the others alone.</li>
 *   <li>{@link Scans}: ascending unsigned byte order, {@code [from, to)} bounds, early stop.</li>
 *   <li>{@link ScanModel} (jqwik): generated action sequences against an in-memory model; every
 *       get and scan must match it, and a failure shrinks to a minimal sequence.</li>
 *   <li>{@link Batches}: later writes to a key win; a failing batch changes nothing.</li>
 *   <li>{@link Concurrency}: writers on different keys and on one key, scans during writes.</li>
 *   <li>{@link Reopen}: everything written is present after close and reopen.</li>
 *   <li>{@link AfterClose}: close is idempotent and every later call is a {@link StorageException}
 *       naming the operation or path.</li>
 *   <li>{@link LargeValues}: values up to the configured limit round-trip; larger ones are
 *       rejected without touching the stored value.</li>
 * </ul>
 *
 * <p>The JUnit groups are {@code @Nested} classes and run on the JUnit Jupiter engine; the
 * property group is a jqwik {@code @Group} and runs on the jqwik engine. Both engines discover the
 * groups a subclass inherits, so a subclass needs both engines on its test class path (the
 * testkit depends on both).
 */
public abstract class StorageEngineContract {
    private Path directory;
    private StorageEngine engine;

    /**
     * Opens the engine under test on {@code directory}, creating it if needed and reopening what is
     * there otherwise. Called once per test, and again on the same directory by the reopen tests.
     *
     * @param directory an existing directory owned by the test
     * @return an open engine; the kit closes it
     */
    protected abstract StorageEngine open(Path directory);

    /**
     * @return false if the engine keeps nothing across close, which skips the {@link Reopen} group
     */
    protected boolean supportsReopen() {
        return true;
    }

    /**
     * @return the largest value the engine opened by {@link #open} accepts
     */
    protected int maxRecordSize() {
        return StorageConfig.DEFAULT_MAX_RECORD_SIZE;
    }

    /**
     * @return the engine opened for the current JUnit test
     */
    protected final StorageEngine engine() {
        return engine;
    }

    /**
     * @return the directory of the current JUnit test
     */
    protected final Path directory() {
        return directory;
    }

    /**
     * Closes the current engine and opens a new one on the same directory.
     *
     * @return the reopened engine, which the kit closes
     */
    protected final StorageEngine reopen() {
        engine.close();
        engine = open(directory);
        return engine;
    }

    @BeforeEach
    void openEngine() {
        directory = KitDirectories.create();
        engine = open(directory);
    }

    @AfterEach
    void closeEngine() {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            KitDirectories.delete(directory);
        }
    }

    /** Read-your-write, overwrite and delete on single records. */
    @Nested
    @DisplayName("single writes")
    class Writes {
        @Test
        @DisplayName("a get after a put returns the value put")
        void readYourWrite() {
            engine.put(P1, b("k"), b("v"));
            assertArrayEquals(b("v"), engine.get(P1, b("k")));
        }

        @Test
        @DisplayName("a key never written reads as null")
        void absent() {
            assertNull(engine.get(P1, b("nothing")));
        }

        @Test
        @DisplayName("a second put replaces the first value")
        void overwrite() {
            engine.put(P1, b("k"), b("first"));
            engine.put(P1, b("k"), b("second, longer"));
            assertArrayEquals(b("second, longer"), engine.get(P1, b("k")));
            assertEquals(List.of("k"), scanAll(engine, P1, null, null));
        }

        @Test
        @DisplayName("an empty value is stored and is not the same as absent")
        void emptyValue() {
            engine.put(P1, b("k"), new byte[0]);
            assertArrayEquals(new byte[0], engine.get(P1, b("k")));
        }

        @Test
        @DisplayName("delete removes the record and reports whether there was one")
        void delete() {
            engine.put(P1, b("k"), b("v"));
            assertTrue(engine.delete(P1, b("k")));
            assertNull(engine.get(P1, b("k")));
            assertFalse(engine.delete(P1, b("k")));
            assertEquals(List.of(), scanAll(engine, P1, null, null));
        }

        @Test
        @DisplayName("the engine keeps no reference to arrays passed in or handed out")
        void copies() {
            final byte[] key = b("k");
            final byte[] value = b("v");
            engine.put(P1, key, value);
            key[0] = 'x';
            value[0] = 'x';
            final byte[] read = engine.get(P1, b("k"));
            assertArrayEquals(b("v"), read);
            read[0] = 'y';
            assertArrayEquals(b("v"), engine.get(P1, b("k")));
        }
    }

    /** Partitions, hints and metadata are separate namespaces. */
    @Nested
    @DisplayName("keyspaces")
    class Keyspaces {
        @Test
        @DisplayName("the hints namespace is isolated from partition data and metadata")
        void hintsIsolated() {
            engine.put(Keyspace.hints(), b("k"), b("hint"));
            engine.put(P1, b("k"), b("data"));
            engine.put(Keyspace.meta(), b("k"), b("meta"));
            assertArrayEquals(b("hint"), engine.get(Keyspace.hints(), b("k")));
            assertArrayEquals(b("data"), engine.get(P1, b("k")));
            assertArrayEquals(b("meta"), engine.get(Keyspace.meta(), b("k")));
            assertTrue(engine.delete(Keyspace.hints(), b("k")));
            assertArrayEquals(b("data"), engine.get(P1, b("k")));
            assertEquals(List.of(), scanAll(engine, Keyspace.hints(), null, null));
        }

        @Test
        @DisplayName("a partition scan sees only that partition")
        void partitionsIsolated() {
            engine.put(P1, b("a"), b("1"));
            engine.put(P2, b("b"), b("2"));
            engine.put(Keyspace.hints(), b("c"), b("3"));
            assertEquals(List.of("a"), scanAll(engine, P1, null, null));
            assertEquals(List.of("b"), scanAll(engine, P2, null, null));
            assertEquals(List.of("c"), scanAll(engine, Keyspace.hints(), null, null));
        }

        @Test
        @DisplayName("dropping a partition empties it and leaves the others and the hints alone")
        void drop() {
            engine.put(P1, b("a"), b("1"));
            engine.put(P2, b("b"), b("2"));
            engine.put(Keyspace.hints(), b("c"), b("3"));
            engine.drop(P1);
            assertNull(engine.get(P1, b("a")));
            assertEquals(List.of(), scanAll(engine, P1, null, null));
            assertArrayEquals(b("2"), engine.get(P2, b("b")));
            assertArrayEquals(b("3"), engine.get(Keyspace.hints(), b("c")));
            engine.put(P1, b("a2"), b("again"));
            assertEquals(List.of("a2"), scanAll(engine, P1, null, null));
        }

        @Test
        @DisplayName("dropping a keyspace that was never written is a no-op")
        void dropEmpty() {
            engine.drop(Keyspace.partition(Keyspace.MAX_PARTITION));
            assertEquals(List.of(), scanAll(engine, Keyspace.partition(Keyspace.MAX_PARTITION), null, null));
        }
    }

    /** Ordered, bounded scans. */
    @Nested
    @DisplayName("scans")
    class Scans {
        @BeforeEach
        void fill() {
            for (final int first : new int[] {0xff, 0x80, 0x7f, 0x01, 0x00}) {
                engine.put(P1, bytes(first), b("v"));
                engine.put(P1, bytes(first, 0x00), b("v"));
            }
        }

        @Test
        @DisplayName("records come in ascending unsigned byte order, a prefix before its extensions")
        void unsignedOrder() {
            assertEquals(List.of(k(0x00), k(0x00, 0x00), k(0x01), k(0x01, 0x00), k(0x7f), k(0x7f, 0x00), k(0x80), k(0x80, 0x00),
                k(0xff), k(0xff, 0x00)), scanAll(engine, P1, null, null));
        }

        @Test
        @DisplayName("bounds are from inclusive and to exclusive")
        void bounds() {
            assertEquals(List.of(k(0x01), k(0x01, 0x00), k(0x7f), k(0x7f, 0x00)), scanAll(engine, P1, bytes(0x01), bytes(0x80)));
            assertEquals(List.of(k(0x80), k(0x80, 0x00), k(0xff), k(0xff, 0x00)), scanAll(engine, P1, bytes(0x80), null));
            assertEquals(List.of(k(0x00), k(0x00, 0x00)), scanAll(engine, P1, null, bytes(0x01)));
            assertEquals(List.of(k(0x7f, 0x00)), scanAll(engine, P1, bytes(0x7f, 0x00), bytes(0x7f, 0x01)));
            assertEquals(List.of(), scanAll(engine, P1, bytes(0x7f, 0x00, 0x00), bytes(0x80)));
        }

        @Test
        @DisplayName("an empty or inverted range visits nothing")
        void emptyRange() {
            assertEquals(List.of(), scanAll(engine, P1, bytes(0x7f), bytes(0x7f)));
            assertEquals(List.of(), scanAll(engine, P1, bytes(0xff), bytes(0x01)));
            assertEquals(List.of(), scanAll(engine, P2, null, null));
        }

        @Test
        @DisplayName("a visitor returning false stops the scan")
        void stop() {
            final List<byte[]> seen = new ArrayList<>();
            engine.scan(P1, null, null, (k, v) -> seen.add(k) && seen.size() < 3);
            assertEquals(3, seen.size());
        }

        @Test
        @DisplayName("a long bounded scan visits every record in range once, in order, while the visitor deletes them")
        void longScan() {
            for (int i = 0; i < 1000; i++) {
                engine.put(P2, b(String.format("k%04d", i)), b("v" + i));
            }
            final List<String> seen = new ArrayList<>();
            engine.scan(P2, b("k0100"), b("k0900"), (k, v) -> {
                seen.add(new String(k, StandardCharsets.UTF_8));
                engine.delete(P2, k);
                return true;
            });
            assertEquals(800, seen.size());
            for (int i = 0; i < seen.size(); i++) {
                assertEquals(String.format("k%04d", i + 100), seen.get(i));
            }
            assertEquals(200, scanAll(engine, P2, null, null).size());
        }

        @Test
        @DisplayName("a visitor may write to the keyspace it is scanning")
        void writeDuringScan() {
            engine.scan(P1, null, null, (k, v) -> {
                engine.delete(P1, k);
                return true;
            });
            assertEquals(List.of(), scanAll(engine, P1, null, null));
        }
    }

    /**
     * Model-based: generated sequences of puts, deletes, batches, drops, gets and scans over two
     * partitions and the hints keyspace, checked step by step against sorted maps. A jqwik group,
     * so it runs on the jqwik engine with shrinking; it opens one engine per property and gives
     * each try fresh partitions.
     */
    @Group
    @Label("ordered scans, model-based")
    class ScanModel {
        private Path modelDirectory;
        private StorageEngine modelEngine;
        private int nextPartition;

        @BeforeProperty
        void openModelEngine() {
            modelDirectory = KitDirectories.create();
            modelEngine = open(modelDirectory);
        }

        @AfterProperty
        void closeModelEngine() {
            try {
                if (modelEngine != null) {
                    modelEngine.close();
                }
            } finally {
                KitDirectories.delete(modelDirectory);
            }
        }

        @Property(tries = 1000)
        @Label("partition and hint scans see exactly what was written, in unsigned order")
        void scansMatchModel(@ForAll("actionSequences") final List<StorageActions.Action> actions) {
            final int first = nextPartition;
            nextPartition = (nextPartition + 2) % (Keyspace.MAX_PARTITION - 1);
            final Keyspace[] keyspaces = {Keyspace.partition(first), Keyspace.partition(first + 1), Keyspace.hints()};
            for (final Keyspace ks : keyspaces) {
                modelEngine.drop(ks);
            }
            StorageActions.run(modelEngine, keyspaces, actions);
        }

        @Provide
        Arbitrary<List<StorageActions.Action>> actionSequences() {
            return StorageActions.sequences();
        }
    }

    /** Atomic batches. */
    @Nested
    @DisplayName("batches")
    class Batches {
        @Test
        @DisplayName("a batch applies puts and deletes across keyspaces, later writes to a key winning")
        void applies() {
            engine.put(P1, b("gone"), b("x"));
            engine.write(new WriteBatch()
                .put(P1, b("a"), b("1"))
                .put(Keyspace.hints(), b("h"), b("2"))
                .delete(P1, b("gone"))
                .put(P2, b("b"), b("first"))
                .put(P2, b("b"), b("last"))
                .put(P2, b("c"), b("3"))
                .delete(P2, b("c")));
            assertArrayEquals(b("1"), engine.get(P1, b("a")));
            assertArrayEquals(b("2"), engine.get(Keyspace.hints(), b("h")));
            assertNull(engine.get(P1, b("gone")));
            assertArrayEquals(b("last"), engine.get(P2, b("b")));
            assertNull(engine.get(P2, b("c")));
        }

        @Test
        @DisplayName("an empty batch changes nothing")
        void empty() {
            engine.write(new WriteBatch());
            assertEquals(List.of(), scanAll(engine, P1, null, null));
        }

        @Test
        @DisplayName("a batch that fails applies none of its writes")
        void allOrNothing() {
            engine.put(P1, b("kept"), b("old"));
            final WriteBatch batch = new WriteBatch()
                .put(P1, b("kept"), b("new"))
                .put(P2, b("fresh"), b("v"))
                .delete(P1, b("kept"))
                .put(Keyspace.hints(), b("h"), new byte[maxRecordSize() + 1]);
            final RuntimeException e = assertThrows(RuntimeException.class, () -> engine.write(batch));
            assertRejection(e);
            assertArrayEquals(b("old"), engine.get(P1, b("kept")));
            assertNull(engine.get(P2, b("fresh")));
            assertEquals(List.of(), scanAll(engine, Keyspace.hints(), null, null));
        }
    }

    /** Several threads at once. */
    @Nested
    @DisplayName("concurrency")
    class Concurrency {
        @Test
        @DisplayName("concurrent writers on different keys all land")
        void differentKeys() throws Exception {
            ConcurrentWriters.differentKeys(engine, 4, 250);
        }

        @Test
        @DisplayName("concurrent writers on one key leave the last value of one of them, and readers never see a torn value")
        void sameKey() throws Exception {
            ConcurrentWriters.sameKey(engine, 4, 250);
        }

        @Test
        @DisplayName("a scan during writes sees every record written before it began and never fails")
        void scanDuringWrites() throws Exception {
            ConcurrentWriters.scanDuringWrites(engine, 500);
        }
    }

    /** Durability across close and reopen. */
    @Nested
    @DisplayName("reopen")
    class Reopen {
        @BeforeEach
        void onlyIfSupported() {
            assumeTrue(supportsReopen(), "the engine declares it keeps nothing across close");
        }

        @Test
        @DisplayName("the engine declaring reopen support has a durable level")
        void durableLevel() {
            assertTrue(engine.durability().survivesReopen(), () -> "durability " + engine.durability().id());
        }

        @Test
        @DisplayName("everything written is present after close and reopen, and nothing deleted or dropped returns")
        void survives() {
            engine.put(P1, b("a"), b("1"));
            engine.put(P1, b("b"), b("2"));
            engine.delete(P1, b("b"));
            engine.put(P2, b("dropped"), b("x"));
            engine.drop(P2);
            engine.put(Keyspace.meta(), b("incarnation"), b("7"));
            engine.write(new WriteBatch().put(Keyspace.hints(), b("h"), b("3")).put(P1, b("c"), b("4")));
            final StorageEngine reopened = reopen();
            assertArrayEquals(b("1"), reopened.get(P1, b("a")));
            assertNull(reopened.get(P1, b("b")));
            assertArrayEquals(b("4"), reopened.get(P1, b("c")));
            assertEquals(List.of(), scanAll(reopened, P2, null, null));
            assertArrayEquals(b("7"), reopened.get(Keyspace.meta(), b("incarnation")));
            assertArrayEquals(b("3"), reopened.get(Keyspace.hints(), b("h")));
            assertEquals(List.of("a", "c"), scanAll(reopened, P1, null, null));
        }

        @Test
        @DisplayName("many records survive a flush, close and reopen")
        void manySurvive() {
            for (int i = 0; i < 2000; i++) {
                engine.put(Keyspace.partition(i % 7), b("key-" + i), b("value-" + i));
            }
            engine.flush();
            final StorageEngine reopened = reopen();
            for (int i = 0; i < 2000; i++) {
                assertArrayEquals(b("value-" + i), reopened.get(Keyspace.partition(i % 7), b("key-" + i)));
            }
        }
    }

    /** Behaviour after close. */
    @Nested
    @DisplayName("after close")
    class AfterClose {
        @Test
        @DisplayName("close is idempotent")
        void idempotent() {
            engine.close();
            engine.close();
            assertClosedError("get", () -> engine.get(P1, b("k")));
        }

        @Test
        @DisplayName("every call after close fails with a StorageException naming the operation or path")
        void everyCallFails() {
            engine.put(P1, b("k"), b("v"));
            engine.close();
            assertClosedError("get", () -> engine.get(P1, b("k")));
            assertClosedError("put", () -> engine.put(P1, b("k"), b("v")));
            assertClosedError("delete", () -> engine.delete(P1, b("k")));
            assertClosedError("write", () -> engine.write(new WriteBatch().put(P1, b("k"), b("v"))));
            assertClosedError("scan", () -> engine.scan(P1, null, null, (k, v) -> true));
            assertClosedError("drop", () -> engine.drop(P1));
            assertClosedError("flush", () -> engine.flush());
        }

        private void assertClosedError(final String operation, final Executable call) {
            final StorageException e = assertThrows(StorageException.class, call, operation + " after close");
            final String message = String.valueOf(e.getMessage());
            assertTrue(message.contains(operation) || message.contains(directory.toString()),
                () -> "message should name '" + operation + "' or the path: " + message);
        }
    }

    /** Values at and beyond the configured limit. */
    @Nested
    @DisplayName("large values")
    class LargeValues {
        @Test
        @DisplayName("a value of exactly the configured limit round-trips through put and batch")
        void atLimit() {
            final byte[] value = new byte[maxRecordSize()];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) (i * 31 + 7);
            }
            engine.put(P1, b("big"), value);
            assertArrayEquals(value, engine.get(P1, b("big")));
            value[0]++;
            engine.write(new WriteBatch().put(P2, b("big"), value));
            assertTrue(Arrays.equals(value, engine.get(P2, b("big"))));
        }

        @Test
        @DisplayName("a value over the limit is rejected and the stored value is untouched")
        void overLimit() {
            engine.put(P1, b("k"), b("small"));
            final RuntimeException e = assertThrows(RuntimeException.class, () -> engine.put(P1, b("k"), new byte[maxRecordSize() + 1]));
            assertRejection(e);
            assertArrayEquals(b("small"), engine.get(P1, b("k")));
        }
    }
}
