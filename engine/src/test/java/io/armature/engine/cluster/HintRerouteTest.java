package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.text;
import static io.armature.engine.cluster.HintedHandoffTest.hintsHeld;
import static io.armature.engine.cluster.HintedHandoffTest.keysReplicatedBy;
import static io.armature.engine.cluster.HintedHandoffTest.writeWithOneDown;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.ReadResult;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.repair.HintedHandoff;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.versioning.VersionSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hints whose intended owner no longer replicates their key (it left the ring, or a join moved the
 * key away from it) go to the key's current replicas instead of waiting for that owner forever.
 */
class HintRerouteTest {
    private static final RepairSettings FAST = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO).withAntiEntropyRate(64 << 20, 4 << 20).withGossipPeriod(Duration.ofMillis(100));
    private static final int KEYS = 60;

    private static EmbeddedClusterBuilder rerouteCluster() {
        return cluster(4).repair(FAST).suspectRetry(Duration.ofMillis(200));
    }

    @Test
    void hintsForADecommissionedNodeReachTheNewReplicasAndNoAcknowledgedWriteIsLost() {
        try (EmbeddedCluster c = rerouteCluster().start()) {
            final int down = 2;
            final NodeId departed = c.nodeId(down);
            // Heard once, a node that falls silent is suspected by phi; one never heard counts as
            // available, and partition streaming would keep asking it for the data it held.
            await("every node to have heard of every other", () -> everyNodeHeardOfEveryOther(c));
            c.stop(down);
            writeWithOneDown(c, down, KEYS);
            final List<byte[]> missed = keysReplicatedBy(c, down, KEYS);
            assertTrue(missed.size() > 10, "the test needs keys the stopped node replicates");
            await("one hint per write the stopped node missed", () -> hintsHeld(c) == missed.size());

            c.decommission(down);
            assertFalse(c.ring().members().contains(departed), "the stopped node left the ring");
            await("every hint for the departed node to be delivered and deleted", () -> hintsHeld(c) == 0);
            assertEquals(missed.size(), sum(c, HintedHandoff.DELIVERED), "each hint delivered once, to its key's new replicas");
            assertEquals(0, sum(c, HintedHandoff.PENDING), "nothing counted as pending any more");

            final List<byte[]> all = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                all.add(bytes("key-" + i));
            }
            // Storage first, before any read could repair a replica.
            await("every current replica to hold every acknowledged write", () -> replicasHold(c, all));
            for (int i = 0; i < c.size(); i++) {
                if (i != down) {
                    assertTrue(readableAtRequalsN(c, i, all), "every write readable at R=N through node " + i);
                }
            }
        }
    }

    @Test
    void hintsForKeysAJoinMovedAwayFromAStoppedOwnerGoToTheKeysNewReplicasAndTheRestWaitForTheOwner() {
        try (EmbeddedCluster c = rerouteCluster().start()) {
            final int down = 2;
            final NodeId owner = c.nodeId(down);
            c.stop(down);
            writeWithOneDown(c, down, KEYS);
            final List<byte[]> missed = keysReplicatedBy(c, down, KEYS);
            await("one hint per write the stopped node missed", () -> hintsHeld(c) == missed.size());

            c.join();
            final Ring after = c.ring();
            assertTrue(after.members().contains(owner), "the stopped node is still a member");
            final List<byte[]> moved = new ArrayList<>();
            final List<byte[]> stay = new ArrayList<>();
            for (final byte[] key : missed) {
                (after.preferenceList(after.partitionForKey(key), c.settings().n()).contains(owner) ? stay : moved).add(key);
            }
            assertFalse(moved.isEmpty(), "the join moved some of the stopped node's keys to the newcomer");
            assertFalse(stay.isEmpty(), "the stopped node keeps some keys");
            await("the hints of moved keys to go to their new replicas while the owner is still down",
                () -> hintsHeld(c) == stay.size());
            assertTrue(replicasHold(c, moved), "the moved keys' new replicas hold them");

            c.restart(down);
            await("the owner, back, to get the hints of the keys it still replicates", () -> hintsHeld(c) == 0);
            assertTrue(HintedHandoffTest.holdsEveryWrite(c, down, stay));
            // At least: the old replicas also hand what they drop to the newcomer as hints.
            assertTrue(sum(c, HintedHandoff.DELIVERED) >= missed.size(), "every missed write delivered");
            assertEquals(0, sum(c, HintedHandoff.PENDING));
        }
    }

    private static boolean everyNodeHeardOfEveryOther(final EmbeddedCluster c) {
        for (int i = 0; i < c.size(); i++) {
            for (int j = 0; j < c.size(); j++) {
                final var state = c.node(i).gossip().view().get(c.nodeId(j));
                if (state == null || state.generation() == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double sum(final EmbeddedCluster c, final String meter) {
        double total = 0;
        for (int i = 0; i < c.size(); i++) {
            final String id = c.nodeId(i).value();
            total += HintedHandoff.PENDING.equals(meter) ? c.meters().get(meter).tag("node", id).gauge().value()
                : c.meters().get(meter).tag("node", id).counter().count();
        }
        return total;
    }

    /** @return true if every replica of each key, under the newest ring, stores exactly its write */
    private static boolean replicasHold(final EmbeddedCluster c, final List<byte[]> keys) {
        final Ring ring = c.ring();
        for (final byte[] key : keys) {
            final int p = ring.partitionForKey(key);
            for (final NodeId r : ring.preferenceList(p, c.settings().n())) {
                final VersionSet set = c.node(ClusterTesting.index(c, r)).replica().read(p, key);
                if (set == null || set.liveValues().size() != 1 || !text(set.liveValues().get(0).data()).equals(expected(key))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean readableAtRequalsN(final EmbeddedCluster c, final int via, final List<byte[]> keys) {
        for (final byte[] key : keys) {
            final ReadResult<byte[]> r = c.client(via).blocking().get(key, Consistency.defaults().withR(c.settings().n()));
            if (r.values().size() != 1 || !text(r.values().get(0)).equals(expected(key))) {
                return false;
            }
        }
        return true;
    }

    private static String expected(final byte[] key) {
        return "v" + text(key).substring("key-".length());
    }
}
