package io.armature.engine.repair;

import io.armature.engine.repair.AntiEntropyMessages.KeyDigests;
import io.armature.engine.repair.AntiEntropyMessages.KeyRequest;
import io.armature.engine.repair.AntiEntropyMessages.TreeLevel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AntiEntropyMessagesProperties {
    private static final TreeShape SHAPE = new TreeShape(256, 200, 16, 3);

    @Provide
    Arbitrary<byte[]> validBodies() {
        return Arbitraries.longs().flatMap(seed -> Arbitraries.integers().between(0, 2).map(kind -> body(kind, seed)));
    }

    private static byte[] body(final int kind, final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final int n = r.nextInt(40);
        if (kind == 0) {
            final int level = r.nextInt(4);
            final int[] idx = r.ints(n, 0, 1 << (4 * level)).sorted().distinct().toArray();
            return new TreeLevel(SHAPE, level, idx, r.longs(idx.length).toArray()).encode();
        }
        final long[] hashes = r.longs(n).map(h -> (200L << 56) | (h >>> 8)).sorted().distinct().toArray();
        if (kind == 1) {
            final int[] leaves = r.ints(r.nextInt(5), 0, 4096).sorted().distinct().toArray();
            return new KeyDigests(SHAPE, leaves, hashes, r.longs(hashes.length).map(d -> d == 0 ? 1 : d).toArray()).encode();
        }
        return new KeyRequest(SHAPE, hashes).encode();
    }

    private static final java.util.List<Function<byte[], Object>> DECODERS =
        java.util.List.of(TreeLevel::decode, KeyDigests::decode, KeyRequest::decode);

    @Property(tries = 1000)
    void decodeInvertsEncode(@ForAll final long seed, @ForAll @IntRange(min = 0, max = 2) final int kind) {
        final byte[] bytes = body(kind, seed);
        final Object decoded = DECODERS.get(kind).apply(bytes);
        final byte[] again = decoded instanceof TreeLevel t ? t.encode()
            : decoded instanceof KeyDigests k ? k.encode() : ((KeyRequest) decoded).encode();
        assertArrayEquals(bytes, again);
        assertEquals(decoded, DECODERS.get(kind).apply(again));
    }

    @Property(tries = 2000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 120) final byte[] bytes) {
        for (final Function<byte[], Object> decoder : DECODERS) {
            decodeOrCodecException(decoder, bytes);
        }
    }

    @Property(tries = 2000)
    void corruptedBodiesDecodeOrFailWithACodecException(@ForAll("validBodies") final byte[] bytes,
                                                       @ForAll @IntRange(min = 0, max = 5000) final int position,
                                                       @ForAll final byte value,
                                                       @ForAll @IntRange(min = 0, max = 5000) final int cut) {
        final byte[] flipped = bytes.clone();
        flipped[position % flipped.length] = value;
        final byte[] truncated = Arrays.copyOf(bytes, cut % (bytes.length + 1));
        for (final Function<byte[], Object> decoder : DECODERS) {
            decodeOrCodecException(decoder, flipped);
            decodeOrCodecException(decoder, truncated);
        }
    }

    private static void decodeOrCodecException(final Function<byte[], Object> decoder, final byte[] bytes) {
        try {
            assertTrue(decoder.apply(bytes) != null);
        } catch (final RepairCodecException expected) {
            assertTrue(!expected.getMessage().isEmpty());
        }
    }

    @Test
    void aHugeCountIsRejectedBeforeAnythingIsAllocated() {
        final byte[] bytes = {1, 8, 0, (byte) 200, 4, 3, 2, (byte) 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0};
        final RepairCodecException e = assertThrows(RepairCodecException.class, () -> TreeLevel.decode(bytes));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertTrue(assertThrows(RepairCodecException.class, () -> KeyRequest.decode(new byte[] {2, 8, 0, 0, 4, 3, 0, 0, 0, 0}))
            .getMessage().contains("format version 2"));
        assertTrue(assertThrows(RepairCodecException.class, () -> KeyRequest.decode(new byte[] {1, 8, 1, 0, 4, 3, 0, 0, 0, 0}))
            .getMessage().contains("shape"), "partition 256 of 256");
    }

    @Property(tries = 500)
    void compareKeysNamesExactlyTheKeysThatDiffer(@ForAll final long seed) {
        final SplittableRandom r = new SplittableRandom(seed);
        final MerkleTree tree = new MerkleTree(SHAPE.partitionCount(), SHAPE.partition(), SHAPE.fanout(), SHAPE.depth());
        final Replica a = new Replica(tree);
        final Replica b = new Replica(new MerkleTree(SHAPE.partitionCount(), SHAPE.partition(), SHAPE.fanout(), SHAPE.depth()));
        final long[] pool = r.longs(30).map(h -> (200L << 56) | (h >>> 8)).toArray();
        for (final long h : pool) {
            final int mode = r.nextInt(4);
            if (mode != 1) {
                a.put(h, 1 + r.nextInt(3));
            }
            if (mode != 2) {
                b.put(h, mode == 3 ? 1 + r.nextInt(3) : a.entries.getOrDefault(h, 9L));
            }
        }
        final int[] all = java.util.stream.IntStream.range(0, tree.leafCount()).toArray();
        final KeyDigests theirs = a.scan(all);
        final KeyDigests mine = b.scan(all);
        final MerkleDiff.KeyComparison c = MerkleDiff.compareKeys(theirs, mine.keyHashes(), mine.digests());
        for (final long h : pool) {
            final Long da = a.entries.get(h);
            final Long db = b.entries.get(h);
            final boolean differs = !java.util.Objects.equals(da, db);
            assertEquals(differs && db != null, Arrays.stream(c.push()).anyMatch(x -> x == h), "push " + Long.toHexString(h));
            assertEquals(differs && da != null, Arrays.stream(c.want()).anyMatch(x -> x == h), "want " + Long.toHexString(h));
        }
    }
}
