package io.armature.engine.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ActorEpochsTest {
    private static final long INCARNATION = 1_000_000L;

    private static StorageEngine memory() {
        return new MemoryStorageProvider().open(StorageConfig.builder().build());
    }

    private static ActorEpochs open(final StorageEngine storage) {
        return ActorEpochs.open(storage, "a", INCARNATION, false);
    }

    private static VersionSet written(final ActorId actor, final int times) {
        VersionSet set = VersionSet.empty();
        for (int i = 0; i < times; i++) {
            set = set.update(set.context(), Value.of(new byte[] {(byte) i}, i), actor);
        }
        return set;
    }

    @Test
    void aKeyWithoutALocalRecordGetsAnActorNothingUsed() {
        final ActorEpochs epochs = open(memory());
        final ActorId first = epochs.actorFor(null, VersionVector.empty());
        final ActorId second = epochs.actorFor(null, VersionVector.empty());
        assertNotEquals(first, second, "a purged or new key never reuses an actor");
    }

    @Test
    void aTrustedLocalRecordKeepsItsActorSoTheClockStaysSmall() {
        final ActorEpochs epochs = open(memory());
        final ActorId actor = epochs.actorFor(null, VersionVector.empty());
        final VersionSet local = written(actor, 2);
        assertEquals(actor, epochs.actorFor(local, local.context()));
        assertEquals(actor, epochs.actorFor(local, VersionVector.empty()), "a blind write too");
    }

    @Test
    void aContextThatSawANewerDotOfTheActorThanTheLocalRecordGetsAFreshActor() {
        final ActorEpochs epochs = open(memory());
        final ActorId actor = epochs.actorFor(null, VersionVector.empty());
        final VersionSet local = written(actor, 1);
        final VersionSet elsewhere = written(actor, 3);
        assertNotEquals(actor, epochs.actorFor(local, elsewhere.context()));
    }

    @Test
    void aCleanRestartResumesTheCounterAndTrustsItsRecords() {
        final StorageEngine storage = memory();
        final ActorEpochs before = open(storage);
        final ActorId actor = before.actorFor(null, VersionVector.empty());
        before.cleanStop();
        final ActorEpochs after = open(storage);
        assertEquals(before.next(), after.next(), "no epoch skipped");
        assertEquals(actor, after.actorFor(written(actor, 1), VersionVector.empty()));
    }

    @Test
    void anUncleanRestartSkipsTheLeaseAndDistrustsEveryEarlierRecord() {
        final StorageEngine storage = memory();
        final ActorEpochs before = open(storage);
        final ActorId actor = before.actorFor(null, VersionVector.empty());
        // a crash: no clean stop; under write-no-sync the record {actor:2} may have lost {actor:3}
        final ActorEpochs after = open(storage);
        assertTrue(after.next() >= before.next() + ActorEpochs.LEASE - 1, "the whole lease is skipped");
        assertNotEquals(actor, after.actorFor(written(actor, 2), VersionVector.empty()));
    }

    @Test
    void aCleanStopMarkerCountsOnlyForTheStartRightAfterIt() {
        final StorageEngine storage = memory();
        open(storage).cleanStop();
        final ActorEpochs second = open(storage);
        final ActorId actor = second.actorFor(null, VersionVector.empty());
        final ActorEpochs third = open(storage);
        assertNotEquals(actor, third.actorFor(written(actor, 1), VersionVector.empty()), "the second run crashed");
    }

    @Test
    void droppingAPartitionDistrustsEveryActorHandedOutBefore() {
        final ReplicaStore store = new ReplicaStore(memory());
        final ActorEpochs epochs = store.openEpochs(new NodeId("a"), INCARNATION);
        final ActorId actor = epochs.actorFor(null, VersionVector.empty());
        final VersionSet stale = written(actor, 1);
        store.dropPartition(3);
        // the partition came back from a replica that had missed {actor:2}
        final ActorId next = epochs.actorFor(stale, VersionVector.empty());
        assertNotEquals(actor, next);
        assertEquals(next, epochs.actorFor(written(next, 1), VersionVector.empty()), "the new epoch is trusted");
    }

    @Test
    void anotherNodesOrAnotherIncarnationsActorIsNeverReused() {
        final ActorEpochs epochs = open(memory());
        final VersionSet foreign = written(new ActorId("a", 7), 1).update(VersionVector.empty(), Value.of(new byte[0], 0),
            new ActorId("b", INCARNATION + 1));
        final ActorId chosen = epochs.actorFor(foreign, VersionVector.empty());
        assertEquals("a", chosen.node());
        assertTrue(chosen.incarnation() != 7, "an old incarnation's actor is not ours");
    }

    @Test
    void reuseDotFaultMintsWithOneActor() {
        final ActorEpochs epochs = ActorEpochs.open(memory(), "a", INCARNATION, true);
        assertEquals(new ActorId("a", INCARNATION), epochs.actorFor(null, VersionVector.empty()));
        assertEquals(new ActorId("a", INCARNATION), epochs.actorFor(null, VersionVector.empty()));
    }

    @Provide
    Arbitrary<List<Integer>> lives() {
        return Arbitraries.integers().between(0, 2).list().ofMaxSize(60);
    }

    /** 0: a fresh actor, 1: a clean restart, 2: a crash and restart. No actor is handed out twice. */
    @Property(tries = 200)
    void freshActorsAreUniqueAcrossCleanAndUncleanRestarts(@ForAll("lives") final List<Integer> steps) {
        final StorageEngine storage = memory();
        ActorEpochs epochs = open(storage);
        final Set<ActorId> seen = new HashSet<>();
        for (final int step : steps) {
            if (step == 0) {
                assertTrue(seen.add(epochs.fresh()), "fresh twice");
            } else {
                if (step == 1) {
                    epochs.cleanStop();
                }
                epochs = open(storage);
            }
        }
    }
}
