package io.armature.engine.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The record cache must be invisible: whatever mix of writes, merges, purges, partition drops
 * and evictions, a cached replica answers exactly what its storage holds, and stays within its
 * byte budget.
 */
class RecordCacheProperties {
    private static final ActorId A = new ActorId("a", 1);
    private static final ActorId B = new ActorId("b", 1);

    /** One step on a replica: the op, the key index, the value size. */
    record Step(int op, int key, int size) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 11),
            Arbitraries.integers().between(0, 3000)).as(Step::new).list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void aCachedReplicaAnswersWhatItsStorageHolds(@ForAll("steps") final List<Step> steps,
                                                  @ForAll @IntRange(min = 0, max = 40_000) final int capacity) {
        final StorageEngine storage = new MemoryStorageProvider().open(StorageConfig.builder().build());
        final ReplicaStore cached = new ReplicaStore(storage, FaultInjection.NONE, capacity);
        cached.listener((p, rk, oldValue, newValue) -> {
            // the listener's old value is what storage held before: the trees depend on it
            final byte[] before = storage.get(Keyspace.partition(p), rk);
            if (newValue != null) {
                assertArrayEquals(newValue, before, "the listener runs after the change is stored");
            }
        });
        long time = 1;
        for (final Step s : steps) {
            final int partition = s.key() % 3;
            final byte[] key = ("k" + s.key()).getBytes(StandardCharsets.UTF_8);
            final VersionSet current = cached.read(partition, key);
            final VersionSet base = current == null ? VersionSet.empty() : current;
            switch (s.op()) {
                case 0, 1 -> {
                    final VersionSet next = base.update(s.op() == 0 ? base.context() : VersionVector.empty(),
                        Value.of(new byte[s.size()], time++), A);
                    cached.write(partition, key, next, next.encode());
                }
                case 2 -> cached.merge(partition, key,
                    VersionSet.empty().update(VersionVector.empty(), Value.of(new byte[s.size()], time++), B));
                case 3 -> {
                    final byte[] raw = storage.get(Keyspace.partition(partition), StorageLayout.recordKey(key));
                    if (raw != null) {
                        cached.deleteIf(partition, StorageLayout.recordKey(key), raw);
                    }
                }
                case 4 -> {
                    cached.dropPartition(partition);
                }
                default -> cached.read(partition, key);
            }
            assertTrue(cached.cacheBytes() <= capacity, "the cache holds " + cached.cacheBytes() + " > " + capacity);
            for (int k = 0; k < 12; k++) {
                final byte[] kk = ("k" + k).getBytes(StandardCharsets.UTF_8);
                final byte[] raw = storage.get(Keyspace.partition(k % 3), StorageLayout.recordKey(kk));
                final VersionSet seen = cached.read(k % 3, kk);
                if (raw == null) {
                    assertNull(seen, "k" + k + " is not stored but the replica answers " + seen);
                } else {
                    assertEquals(VersionSet.decode(raw), seen, "k" + k);
                }
            }
        }
    }

    @Property(tries = 100)
    void aFillThatRacedAChangeIsDropped(@ForAll @IntRange(min = 1, max = 5) final int changes) {
        final RecordCache cache = new RecordCache(1 << 20);
        final byte[] rk = {1, 2, 3};
        final long stamp = cache.stamp();
        final RecordCache.Entry fresh = entry(2);
        for (int i = 0; i < changes; i++) {
            cache.changed(0, rk, fresh);
        }
        cache.fill(0, rk, entry(1), stamp);
        assertEquals(fresh, cache.get(0, rk), "a stale fill replaced a newer record");
    }

    private static RecordCache.Entry entry(final int size) {
        final VersionSet set = VersionSet.empty().update(VersionVector.empty(), Value.of(new byte[size], 1), A);
        return new RecordCache.Entry(set.encode(), set);
    }
}
