package io.armature.samples.bench;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyChooserTest {
    @Test
    void uniformSpreadsEvenlyAndZipfianConcentratesOnAFewKeys() {
        final int records = 1000;
        final int draws = 200_000;
        final long[] uniform = histogram(KeyChooser.uniform(records), records, draws);
        final long[] zipf = histogram(KeyChooser.zipfian(records), records, draws);
        Arrays.sort(uniform);
        Arrays.sort(zipf);
        assertTrue(uniform[records - 1] < 2 * draws / records, "uniform: the top key gets about its share, " + uniform[records - 1]);
        final long top10 = Arrays.stream(zipf, records - 10, records).sum();
        assertTrue(top10 > draws / 5, "zipfian 0.99: the ten hottest keys take a large share, " + top10);
    }

    @Test
    void zipfianHandlesTinyKeySpaces() {
        final SplittableRandom r = new SplittableRandom(1);
        for (final long n : new long[] {1, 2, 3}) {
            final KeyChooser k = KeyChooser.zipfian(n);
            for (int i = 0; i < 1000; i++) {
                final long v = k.next(r);
                assertTrue(v >= 0 && v < n);
            }
        }
    }

    private static long[] histogram(final KeyChooser k, final int records, final int draws) {
        final SplittableRandom r = new SplittableRandom(5);
        final long[] h = new long[records];
        for (int i = 0; i < draws; i++) {
            final long v = k.next(r);
            assertTrue(v >= 0 && v < records, "in range: " + v);
            h[(int) v]++;
        }
        return h;
    }
}
