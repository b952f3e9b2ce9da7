package io.armature.testkit.storage;

import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.WriteBatch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model-based testing of a {@link StorageEngine}: generated sequences of writes, drops and scans
 * replayed against the engine and against sorted in-memory maps, compared after every step.
 * Keys come from a tiny alphabet around the signed/unsigned boundary so collisions, overwrites and
 * ordering mistakes show up in short sequences, and jqwik shrinks a failure to a minimal one.
 */
final class StorageActions {
    /** Three slots; slot 2 is the hints keyspace, slots 0 and 1 two partitions fresh for each try. */
    static final int SLOTS = 3;

    private static final byte[] ALPHABET = {0x00, 0x01, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff};
    private static final HexFormat HEX = HexFormat.of();

    private StorageActions() {
    }

    /** One step of a generated sequence; {@code slot} picks a keyspace. */
    sealed interface Action permits Put, Delete, Batch, Drop, Scan, Get {
    }

    /** Puts one record. */
    record Put(int slot, byte[] key, byte[] value) implements Action {
        @Override
        public String toString() {
            return "put(" + slot + ", " + HEX.formatHex(key) + ", " + HEX.formatHex(value) + ")";
        }
    }

    /** Deletes one record, present or not. */
    record Delete(int slot, byte[] key) implements Action {
        @Override
        public String toString() {
            return "delete(" + slot + ", " + HEX.formatHex(key) + ")";
        }
    }

    /** Writes a batch of puts and deletes. */
    record Batch(List<Action> writes) implements Action {
        @Override
        public String toString() {
            return "batch" + writes;
        }
    }

    /** Drops a keyspace. */
    record Drop(int slot) implements Action {
        @Override
        public String toString() {
            return "drop(" + slot + ")";
        }
    }

    /** Scans {@code [from, to)} (null for open) and stops after {@code limit} records. */
    record Scan(int slot, byte[] from, byte[] to, int limit) implements Action {
        @Override
        public String toString() {
            return "scan(" + slot + ", " + (from == null ? "-" : HEX.formatHex(from)) + ", "
                + (to == null ? "-" : HEX.formatHex(to)) + ", limit " + limit + ")";
        }
    }

    /** Reads one record. */
    record Get(int slot, byte[] key) implements Action {
        @Override
        public String toString() {
            return "get(" + slot + ", " + HEX.formatHex(key) + ")";
        }
    }

    static Arbitrary<List<Action>> sequences() {
        final Arbitrary<Action> write = Arbitraries.oneOf(puts(), deletes());
        final Arbitrary<Action> batch = write.list().ofMinSize(1).ofMaxSize(6).map(Batch::new);
        final Arbitrary<Action> action = Arbitraries.frequencyOf(
            Tuple.of(6, puts()),
            Tuple.of(2, deletes()),
            Tuple.of(2, batch),
            Tuple.of(1, slots().map(Drop::new)),
            Tuple.of(3, scans()),
            Tuple.of(2, Combinators.combine(slots(), keys()).as(Get::new)));
        return action.list().ofMaxSize(40);
    }

    private static Arbitrary<Integer> slots() {
        return Arbitraries.integers().between(0, SLOTS - 1);
    }

    private static Arbitrary<byte[]> keys() {
        return Arbitraries.of(ALPHABET[0], ALPHABET[1], ALPHABET[2], ALPHABET[3], ALPHABET[4], ALPHABET[5])
            .list().ofMinSize(1).ofMaxSize(3)
            .map(StorageActions::toBytes);
    }

    private static Arbitrary<Action> puts() {
        final Arbitrary<byte[]> values = Arbitraries.bytes().list().ofMaxSize(8).map(StorageActions::toBytes);
        return Combinators.combine(slots(), keys(), values).as(Put::new);
    }

    private static Arbitrary<Action> deletes() {
        return Combinators.combine(slots(), keys()).as(Delete::new);
    }

    private static Arbitrary<Action> scans() {
        return Combinators.combine(slots(), keys().injectNull(0.3), keys().injectNull(0.3), Arbitraries.integers().between(1, 50))
            .as(Scan::new);
    }

    private static byte[] toBytes(final List<Byte> list) {
        final byte[] bytes = new byte[list.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = list.get(i);
        }
        return bytes;
    }

    /**
     * Replays {@code actions} against {@code engine} and a model, checking each read and, at the
     * end, a full scan of every slot.
     */
    static void run(final StorageEngine engine, final Keyspace[] keyspaces, final List<Action> actions) {
        final Map<Integer, NavigableMap<byte[], byte[]>> model = new HashMap<>();
        for (int slot = 0; slot < SLOTS; slot++) {
            model.put(slot, new TreeMap<>(Arrays::compareUnsigned));
        }
        for (final Action action : actions) {
            apply(engine, keyspaces, model, action);
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            assertScan(engine, keyspaces[slot], model.get(slot), new Scan(slot, null, null, Integer.MAX_VALUE));
        }
    }

    private static void apply(final StorageEngine engine, final Keyspace[] ks, final Map<Integer, NavigableMap<byte[], byte[]>> model,
                              final Action action) {
        if (action instanceof Put put) {
            engine.put(ks[put.slot()], put.key(), put.value());
            model.get(put.slot()).put(put.key(), put.value());
        } else if (action instanceof Delete delete) {
            final boolean removed = engine.delete(ks[delete.slot()], delete.key());
            assertEquals(model.get(delete.slot()).remove(delete.key()) != null, removed, () -> action + " reported removal wrongly");
        } else if (action instanceof Batch batch) {
            final WriteBatch wb = new WriteBatch();
            for (final Action w : batch.writes()) {
                if (w instanceof Put put) {
                    wb.put(ks[put.slot()], put.key(), put.value());
                    model.get(put.slot()).put(put.key(), put.value());
                } else {
                    final Delete delete = (Delete) w;
                    wb.delete(ks[delete.slot()], delete.key());
                    model.get(delete.slot()).remove(delete.key());
                }
            }
            engine.write(wb);
        } else if (action instanceof Drop drop) {
            engine.drop(ks[drop.slot()]);
            model.get(drop.slot()).clear();
        } else if (action instanceof Scan scan) {
            assertScan(engine, ks[scan.slot()], model.get(scan.slot()), scan);
        } else {
            final Get get = (Get) action;
            final byte[] expected = model.get(get.slot()).get(get.key());
            final byte[] actual = engine.get(ks[get.slot()], get.key());
            if (expected == null) {
                assertEquals(null, actual, () -> action + " found a value that was never written or was deleted");
            } else {
                assertArrayEquals(expected, actual, () -> action + " returned the wrong value");
            }
        }
    }

    private static void assertScan(final StorageEngine engine, final Keyspace keyspace, final NavigableMap<byte[], byte[]> model,
                                   final Scan scan) {
        final List<String> expected = new ArrayList<>();
        NavigableMap<byte[], byte[]> range = model;
        if (scan.from() != null && scan.to() != null && Arrays.compareUnsigned(scan.from(), scan.to()) >= 0) {
            range = new TreeMap<>();
        }
        if (scan.from() != null && !range.isEmpty()) {
            range = range.tailMap(scan.from(), true);
        }
        if (scan.to() != null && !range.isEmpty()) {
            range = range.headMap(scan.to(), false);
        }
        for (final Map.Entry<byte[], byte[]> e : range.entrySet()) {
            if (expected.size() == scan.limit()) {
                break;
            }
            expected.add(HEX.formatHex(e.getKey()) + "=" + HEX.formatHex(e.getValue()));
        }
        final List<String> actual = new ArrayList<>();
        engine.scan(keyspace, scan.from(), scan.to(), (k, v) -> {
            actual.add(HEX.formatHex(k) + "=" + HEX.formatHex(v));
            return actual.size() < scan.limit();
        });
        assertEquals(expected, actual, () -> scan + " on " + keyspace + " saw other records than were written");
    }
}
