package io.armature.engine.replica;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.ring.NodeId;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The replica's cap on stored sets (store.max-object-size): whatever concurrent sets arrive, by
 * merge or as hints, no stored set exceeds the cap, a refused one leaves the stored bytes as they
 * were, and an accepted one stores exactly the merge.
 */
class ObjectLimitProperties {
    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    private static final NodeId OWNER = new NodeId("owner");

    @Provide
    Arbitrary<List<Integer>> sizes() {
        return Arbitraries.integers().between(0, 400).list().ofMinSize(1).ofMaxSize(12);
    }

    /** The i-th write, by its own actor and with an empty context: concurrent with every other. */
    private static VersionSet blind(final int i, final int size) {
        return VersionSet.empty().update(VersionVector.empty(), new Value(new byte[size], false, i), new ActorId("n" + i, 1));
    }

    @Property
    void noStoredSetExceedsTheCapAndARefusalChangesNothing(@ForAll("sizes") final List<Integer> sizes,
                                                          @ForAll @IntRange(min = 100, max = 1500) final int limit) {
        final ReplicaStore store = new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build()));
        store.objectLimit(limit);
        for (int i = 0; i < sizes.size(); i++) {
            final VersionSet incoming = blind(i, sizes.get(i));
            final byte[] before = store.storage().get(Keyspace.partition(0), StorageLayout.recordKey(KEY));
            final VersionSet expected = before == null ? incoming : VersionSet.sync(VersionSet.decode(before), incoming);
            try {
                assertEquals(expected, store.merge(0, KEY, incoming));
                assertTrue(expected.encode().length <= limit, "stored over the cap");
            } catch (final ObjectTooLargeException e) {
                assertTrue(expected.encode().length > limit, "refused under the cap");
                assertArrayEquals(before, store.storage().get(Keyspace.partition(0), StorageLayout.recordKey(KEY)));
            }
            try {
                store.storeHint(OWNER, 0, KEY, incoming);
            } catch (final ObjectTooLargeException e) {
                // checked below: the stored hint stays within the cap either way
            }
            final VersionSet hint = store.readHint(OWNER, 0, KEY);
            assertTrue(hint == null || hint.encode().length <= limit, "a hint over the cap");
        }
    }

    /** What the UNCAPPED_MERGE mutant re-introduces: a replica stores the merge whatever its size. */
    @Test
    void theUncappedMergeMutantStoresASetOverTheCap() {
        final ReplicaStore store = new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build()),
            FaultInjection.of(Set.of(FaultInjection.Fault.UNCAPPED_MERGE)), 0);
        store.objectLimit(600);
        store.merge(0, KEY, blind(0, 400));
        final VersionSet merged = store.merge(0, KEY, blind(1, 400));
        assertTrue(merged.encode().length > 600, "the mutant stored " + merged.encode().length + " bytes");
    }
}
