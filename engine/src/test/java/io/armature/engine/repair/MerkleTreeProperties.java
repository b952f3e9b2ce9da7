package io.armature.engine.repair;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MerkleTreeProperties {

    /** A tree shape and a partition, kept small enough that leaves are shared by several keys. */
    record Shape(int q, int partition, int fanout, int depth) {
        MerkleTree tree() {
            return new MerkleTree(q, partition, fanout, depth);
        }

        long keyHash(final long random) {
            final int bits = Integer.numberOfTrailingZeros(q);
            return bits == 0 ? random : ((long) partition << (64 - bits)) | (random >>> bits);
        }
    }

    @Provide
    Arbitrary<Shape> shapes() {
        return Combinators.combine(Arbitraries.of(1, 8, 256, 65_536), Arbitraries.integers().between(0, 65_535),
                Arbitraries.of(2, 4, 16), Arbitraries.integers().between(1, 4))
            .as((q, p, f, d) -> new Shape(q, p % q, f, f == 16 ? Math.min(d, 3) : d));
    }

    @Property(tries = 300)
    void incrementalUpdatesEqualARebuildFromScratch(@ForAll("shapes") final Shape shape, @ForAll final long seed,
                                                    @ForAll @IntRange(min = 0, max = 400) final int writes) {
        final Replica r = new Replica(shape.tree());
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] pool = random.longs(1 + writes / 3).map(shape::keyHash).toArray();
        for (int i = 0; i < writes; i++) {
            final long kh = pool[random.nextInt(pool.length)];
            final long digest = random.nextInt(5) == 0 ? MerkleTree.ABSENT : 1 + random.nextInt(4);
            r.put(kh, digest);
        }
        assertTrue(r.tree.contentEquals(r.rebuilt()), "incremental tree differs from the rebuilt one");
        if (r.entries.isEmpty()) {
            assertEquals(0L, r.tree.root());
        }
    }

    @Property(tries = 300)
    void treesDifferAtExactlyTheLeavesWhoseEntriesDiffer(@ForAll("shapes") final Shape shape, @ForAll final long seed,
                                                         @ForAll @IntRange(min = 0, max = 2000) final int keys,
                                                         @ForAll @IntRange(min = 0, max = 30) final int divergent) {
        final SplittableRandom random = new SplittableRandom(seed);
        final Replica a = new Replica(shape.tree());
        final Replica b = new Replica(shape.tree());
        for (int i = 0; i < keys; i++) {
            final long kh = shape.keyHash(random.nextLong());
            final long d = 1 + random.nextInt(1000);
            a.put(kh, d);
            b.put(kh, d);
        }
        final Set<Long> changedKeys = new HashSet<>();
        for (int i = 0; i < divergent; i++) {
            final Replica side = random.nextBoolean() ? a : b;
            final long kh = !side.entries.isEmpty() && random.nextBoolean()
                ? side.entries.keySet().stream().skip(random.nextInt(side.entries.size())).findFirst().orElseThrow()
                : shape.keyHash(random.nextLong());
            side.put(kh, random.nextInt(3) == 0 ? MerkleTree.ABSENT : 1001 + random.nextInt(1000));
            changedKeys.add(kh);
        }
        final TreeSet<Integer> expectedLeaves = new TreeSet<>();
        final TreeSet<Long> expectedKeys = new TreeSet<>(Long::compareUnsigned);
        for (final long kh : changedKeys) {
            if (!java.util.Objects.equals(a.entries.get(kh), b.entries.get(kh))) {
                expectedLeaves.add(a.tree.leafOf(kh));
                expectedKeys.add(kh);
            }
        }
        final Replica.Exchange ex = Replica.exchange(a, b);
        assertArrayEquals(expectedLeaves.stream().mapToInt(Integer::intValue).toArray(), ex.differingLeaves());
        final TreeSet<Long> repaired = new TreeSet<>(Long::compareUnsigned);
        for (final long h : ex.scannerPushes()) {
            repaired.add(h);
        }
        for (final long h : ex.otherPushes()) {
            repaired.add(h);
        }
        assertEquals(expectedKeys, repaired, "the key exchange names exactly the differing keys");
        // The descent sends the root, then fanout children per differing node per level.
        final int k = ex.differingLeaves().length;
        assertTrue(ex.nodesSent() <= 1 + k * shape.fanout() * shape.depth(),
            ex.nodesSent() + " nodes for " + k + " differing leaves");
        assertEquals(k == 0, a.tree.root() == b.tree.root());
    }

    @Property(tries = 300)
    void leafRangesTileThePartitionAndHoldTheirKeys(@ForAll("shapes") final Shape shape, @ForAll final long random) {
        final MerkleTree t = shape.tree();
        final long kh = shape.keyHash(random);
        assertTrue(t.contains(kh));
        assertTrue(t.leafRange(t.leafOf(kh)).contains(kh));
        final int bits = Integer.numberOfTrailingZeros(shape.q());
        final long start = bits == 0 ? 0L : (long) shape.partition() << (64 - bits);
        assertEquals(start, t.leafRange(0).first());
        assertEquals(shape.keyHash(-1L), t.leafRange(t.leafCount() - 1).last());
        final int leaf = (int) Long.remainderUnsigned(random, t.leafCount());
        if (leaf + 1 < t.leafCount()) {
            assertEquals(t.leafRange(leaf).last() + 1, t.leafRange(leaf + 1).first());
        }
        assertEquals(leaf, t.leafOf(t.leafRange(leaf).first()));
        assertEquals(leaf, t.leafOf(t.leafRange(leaf).last()));
    }

    @Test
    void theDescentCostDependsOnDifferingKeysNotOnTheDataSize(final TestReporter reporter) {
        final Replica.Exchange small = divergedExchange(100_000, 10, 42);
        final Replica.Exchange large = divergedExchange(500_000, 10, 42);
        final Set<Long> repaired = new HashSet<>();
        java.util.Arrays.stream(small.scannerPushes()).forEach(repaired::add);
        java.util.Arrays.stream(small.otherPushes()).forEach(repaired::add);
        assertEquals(10, repaired.size());
        // The same 10 keys diverge in both runs, so the descent is the same size; only the
        // key lists of the 10 leaves grow (keys per leaf).
        assertEquals(small.nodesSent(), large.nodesSent());
        assertEquals(small.treeBytes(), large.treeBytes());
        assertTrue(small.nodesSent() <= 1 + 10 * 16 * 3, small.nodesSent() + " node hashes");
        assertTrue(small.totalBytes() < 64 * 1024, "k=10 among 100,000 took " + small.totalBytes() + " bytes");
        reporter.publishEntry("anti-entropy bytes, k=10 among 100,000 keys (fanout 16, depth 3)",
            "tree " + small.treeBytes() + " + keys " + small.keyBytes() + " = " + small.totalBytes() + " in "
                + small.messages() + " messages, " + small.nodesSent() + " node hashes");
        reporter.publishEntry("anti-entropy bytes, k=10 among 500,000 keys",
            "tree " + large.treeBytes() + " + keys " + large.keyBytes() + " = " + large.totalBytes());
    }

    private static Replica.Exchange divergedExchange(final int keys, final int divergent, final long seed) {
        final Shape shape = new Shape(256, 7, MerkleTree.DEFAULT_FANOUT, MerkleTree.DEFAULT_DEPTH);
        final Replica a = new Replica(shape.tree());
        final Replica b = new Replica(shape.tree());
        final SplittableRandom random = new SplittableRandom(seed);
        final long[] diverging = new long[divergent];
        for (int i = 0; i < divergent; i++) {
            diverging[i] = shape.keyHash(random.nextLong());
        }
        final SplittableRandom bulk = new SplittableRandom(seed + 1);
        for (int i = 0; i < keys - divergent; i++) {
            a.entries.put(shape.keyHash(bulk.nextLong()), 1 + (long) bulk.nextInt(1 << 20));
        }
        b.entries.putAll(a.entries);
        for (int i = 0; i < divergent; i++) {
            a.entries.put(diverging[i], 7L);
            if (i % 2 == 0) {
                b.entries.put(diverging[i], 8L);
            }
        }
        a.tree.rebuild(sink -> a.entries.forEach(sink::accept));
        b.tree.rebuild(sink -> b.entries.forEach(sink::accept));
        return Replica.exchange(a, b);
    }

    @Test
    void misuseIsRejectedWithTheSettingNamed() {
        final MerkleTree t = MerkleTree.create(256, 3);
        assertEquals(4096, t.leafCount());
        final long outside = 4L << 56;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.update(outside, 0, 1)).getMessage().contains("partition 3"));
        assertThrows(IllegalArgumentException.class, () -> t.node(4, 0));
        assertThrows(IllegalArgumentException.class, () -> t.node(1, 16));
        assertThrows(IllegalArgumentException.class, () -> t.children(3, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> t.differing(1, new int[] {0}, new long[0]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MerkleTree(100, 0, 16, 3)).getMessage().contains("partitionCount"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MerkleTree(256, 256, 16, 3)).getMessage().contains("partition must"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MerkleTree(256, 0, 3, 3)).getMessage().contains("fanout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new MerkleTree(256, 0, 16, 6)).getMessage().contains("depth"));
        final MerkleTree other = new MerkleTree(256, 3, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> MerkleDiff.onTreeLevel(other, MerkleDiff.start(t)));
    }

    @Test
    void digestsAreNeverAbsentAndSeeEveryByte() {
        assertNotEquals(MerkleTree.ABSENT, Digests.ofVersionSet(new byte[0]));
        final Set<Long> seen = new HashSet<>();
        for (int len = 0; len < 20; len++) {
            for (int bit = 0; bit < len * 8; bit++) {
                final byte[] b = new byte[len];
                b[bit / 8] ^= (byte) (1 << (bit % 8));
                assertTrue(seen.add(Digests.ofVersionSet(b)), "collision at length " + len + " bit " + bit);
            }
            assertTrue(seen.add(Digests.ofVersionSet(new byte[len])));
        }
    }
}
