package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.repair.HintedHandoff;
import io.armature.engine.ring.NodeId;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.storage.Keyspace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HintedHandoffTest {
    static final RepairSettings FAST_HINTS = RepairSettings.defaults().withHintPeriod(Duration.ofMillis(50))
        .withAntiEntropyPeriod(Duration.ZERO);

    static EmbeddedClusterBuilder handoffCluster() {
        return cluster(4).repair(FAST_HINTS).suspectRetry(Duration.ofMillis(200));
    }

    /** @return the keys among key-0..key-(count-1) that node replicates */
    static List<byte[]> keysReplicatedBy(final EmbeddedCluster c, final int node, final int count) {
        final List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final byte[] key = bytes("key-" + i);
            if (c.ring().preferenceList(c.ring().partitionForKey(key), c.settings().n()).contains(c.nodeId(node))) {
                keys.add(key);
            }
        }
        return keys;
    }

    static long hintsHeld(final EmbeddedCluster c) {
        long n = 0;
        for (int i = 0; i < c.size(); i++) {
            final long[] count = {0};
            c.node(i).storage().scan(Keyspace.hints(), null, null, (k, v) -> ++count[0] > 0);
            n += count[0];
        }
        return n;
    }

    static void writeWithOneDown(final EmbeddedCluster c, final int down, final int count) {
        final int via = (down + 1) % c.size();
        for (int i = 0; i < count; i++) {
            c.client(via).blocking().put(bytes("key-" + i), bytes("v" + i), Context.empty(), Consistency.defaults().withW(2));
        }
    }

    static boolean holdsEveryWrite(final EmbeddedCluster c, final int node, final List<byte[]> keys) {
        for (final byte[] key : keys) {
            final VersionSet set = c.node(node).replica().read(c.ring().partitionForKey(key), key);
            if (set == null || set.liveValues().size() != 1
                || !text(set.liveValues().get(0).data()).equals("v" + text(key).substring(4))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void aStoppedNodeGetsEveryWriteItMissedByHintedHandoffWithoutAnyRead() {
        try (EmbeddedCluster c = handoffCluster().start()) {
            final int down = 2;
            c.stop(down);
            writeWithOneDown(c, down, 60);
            final List<byte[]> missed = keysReplicatedBy(c, down, 60);
            assertTrue(missed.size() > 10, "the test needs keys the stopped node replicates");
            await("one hint per missed write", () -> hintsHeld(c) == missed.size());
            c.restart(down);
            // No client read from here on: only handoff can bring the writes to the restarted node.
            await("the restarted node to hold every write it missed", () -> holdsEveryWrite(c, down, missed));
            await("every hint to be deleted after its ack", () -> hintsHeld(c) == 0);
            double delivered = 0;
            double pending = 0;
            for (int i = 0; i < c.size(); i++) {
                final String id = c.nodeId(i).value();
                delivered += c.meters().get(HintedHandoff.DELIVERED).tag("node", id).counter().count();
                pending += c.meters().get(HintedHandoff.PENDING).tag("node", id).gauge().value();
            }
            assertEquals(missed.size(), delivered, "each hint delivered once");
            assertEquals(0, pending);
        }
    }

    @Test
    void hintsSurviveARestartOfTheStandInBeforeDelivery() {
        try (EmbeddedCluster c = handoffCluster().start()) {
            final int down = 1;
            c.stop(down);
            writeWithOneDown(c, down, 40);
            final List<byte[]> missed = keysReplicatedBy(c, down, 40);
            await("one hint per missed write", () -> hintsHeld(c) == missed.size());
            final NodeId owner = c.nodeId(down);
            final List<Integer> standIns = new ArrayList<>();
            for (int i = 0; i < c.size(); i++) {
                final int node = i;
                if (i != down && missed.stream().anyMatch(k ->
                    c.node(node).replica().readHint(owner, c.ring().partitionForKey(k), k) != null)) {
                    standIns.add(i);
                }
            }
            assertTrue(!standIns.isEmpty(), "some node holds hints");
            final long before = hintsHeld(c);
            for (final int s : standIns) {
                c.restart(s);
            }
            assertEquals(before, hintsHeld(c), "hints are in the stand-ins' storage, kept across their restart");
            for (final int s : standIns) {
                assertEquals((double) countHints(c, s),
                    c.meters().get(HintedHandoff.PENDING).tag("node", c.nodeId(s).value()).gauge().value(),
                    "the restarted stand-in counts the hints it kept");
            }
            c.restart(down);
            await("the owner to get every hint after the stand-ins restarted", () -> holdsEveryWrite(c, down, missed));
            await("every hint to be deleted", () -> hintsHeld(c) == 0);
            assertNotNull(c.node(down).replica().read(c.ring().partitionForKey(missed.get(0)), missed.get(0)));
        }
    }

    static long countHints(final EmbeddedCluster c, final int node) {
        final long[] count = {0};
        c.node(node).storage().scan(Keyspace.hints(), null, null, (k, v) -> ++count[0] > 0);
        return count[0];
    }
}
