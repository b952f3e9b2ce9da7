package io.armature.testkit.sim;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.WriteBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash simulation keeps what the durability promises and loses, at most, a whole-call tail
 * after the last sync point: after a crash the storage holds exactly the state after some prefix
 * of the write calls, never shorter than the last sync (or, for a process crash, the promise).
 */
class CrashableStorageTest {
    private static final Keyspace P = Keyspace.partition(0);

    /** One write call: a put, a delete, a two-op batch, a drop, a flush or a sync (by code 0..5). */
    private static void apply(final StorageEngine s, final int code, final int key, final int value) {
        final byte[] k = {(byte) key};
        final byte[] v = {(byte) value};
        switch (code) {
            case 0 -> s.put(P, k, v);
            case 1 -> s.delete(P, k);
            case 2 -> s.write(new WriteBatch().put(P, k, v).delete(P, new byte[] {(byte) (key + 1)}).put(P, k, new byte[] {(byte) (value + 1)}));
            case 3 -> s.drop(P);
            case 4 -> s.flush();
            default -> s.sync();
        }
    }

    private static TreeMap<Integer, Integer> contents(final StorageEngine s) {
        final TreeMap<Integer, Integer> out = new TreeMap<>();
        s.scan(P, null, null, (k, v) -> {
            out.put((int) k[0], (int) v[0]);
            return true;
        });
        return out;
    }

    @Property(tries = 300)
    void aCrashLeavesTheStateOfAPrefixNoShorterThanTheDurabilityPromises(
            @ForAll @Size(max = 30) final List<@IntRange(max = 5) Integer> codes, @ForAll final long seed,
            @ForAll final Durability durability, @ForAll final boolean powerLoss) {
        final CrashableStorage s = new CrashableStorage(new MapStorage(), durability == Durability.NONE ? Durability.NO_SYNC : durability);
        final List<TreeMap<Integer, Integer>> after = new ArrayList<>();
        after.add(contents(s));
        int synced = 0;
        int flushed = 0;
        for (int i = 0; i < codes.size(); i++) {
            apply(s, codes.get(i), i % 4, i);
            after.add(contents(s));
            if (codes.get(i) == 5) {
                synced = i + 1;
            }
            if (codes.get(i) >= 4) {
                flushed = i + 1;
            }
        }
        final int lost = s.crash(powerLoss, new SplittableRandom(seed));
        final TreeMap<Integer, Integer> now = contents(s);
        final int promised = s.durability() == Durability.SYNC ? codes.size()
            : powerLoss ? synced : s.durability() == Durability.NO_SYNC ? flushed : codes.size();
        boolean matches = false;
        for (int prefix = promised; prefix <= codes.size(); prefix++) {
            matches |= after.get(prefix).equals(now);
        }
        assertTrue(matches, () -> "after losing " + lost + " calls: " + now + ", states " + after + ", promised " + promised);
        assertTrue(lost <= codes.size() - promised, () -> lost + " lost, only " + (codes.size() - promised) + " exposed");
    }

    @Property(tries = 50)
    void aPowerLossWithoutSyncMayLoseEveryWrite(@ForAll @IntRange(min = 1, max = 10) final int writes) {
        int everything = 0;
        for (long seed = 0; seed < 40; seed++) {
            final CrashableStorage s = new CrashableStorage(new MapStorage(), Durability.WRITE_NO_SYNC);
            for (int i = 0; i < writes; i++) {
                apply(s, 0, i, i);
            }
            if (s.crash(true, new SplittableRandom(seed)) == writes) {
                everything++;
                assertEquals(new TreeMap<>(), contents(s));
            }
        }
        assertTrue(everything > 0, "no seed of 40 lost the whole unsynced tail of " + writes);
    }
}
