package io.armature.engine.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The linear sweep and the clockwise scan are two implementations of one walk definition. */
class WalksProperties {

    /** Arbitrary owner tables, not only claimed ones: clumps and tiny zones included. */
    @Property(tries = 1000)
    void theSweepAgreesWithTheScanOnAnyOwnerTable(@ForAll @IntRange(min = 3, max = 8) int log2q,
                                                  @ForAll @IntRange(min = 1, max = 12) int s,
                                                  @ForAll @IntRange(min = 1, max = 4) int zones,
                                                  @ForAll long seed) {
        int q = 1 << log2q;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        int[] owner = new int[q];
        for (int p = 0; p < q; p++) {
            owner[p] = p < s ? p : random.nextInt(s);
        }
        int[] zoneIndex = new int[s];
        int zoneCount = Math.min(zones, s);
        for (int m = 0; m < s; m++) {
            zoneIndex[m] = m < zoneCount ? m : random.nextInt(zoneCount);
        }
        int width = Math.min(s, Ring.PRECOMPUTED);
        int[] swept = new int[q * width];
        Walks.prefixes(owner, zoneIndex, zoneCount, s, width, swept);
        for (int p = 0; p < q; p++) {
            int[] scanned = Walks.walk(owner, zoneIndex, zoneCount, s, p, width);
            assertArrayEquals(scanned, Arrays.copyOfRange(swept, p * width, (p + 1) * width),
                "partition " + p);
        }
    }
}
