package io.armature.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.membership.StaticMembership;
import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.engine.testing.ManualClock;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.engine.wire.Message;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The tombstone sweep on the event loop: one sweep looks at a bounded number of records and the
 * next one resumes after them, at a bounded rate; a pass still checks every tombstone once.
 */
class TombstoneSweepTest {
    private static final int Q = 16;
    private static final int TOMBSTONES = 5000;

    private final ManualClock clock = new ManualClock();
    private final ReplicaStore store = new ReplicaStore(new MemoryStorageProvider().open(StorageConfig.builder().build()));
    private final List<byte[]> checks = new ArrayList<>();
    private final Map<NodeId, Endpoint> endpoints = new LinkedHashMap<>();
    private Ring ring;
    private NodeId self;
    private int partition;

    /** The ring the purge sees; a test may install another. */
    private io.armature.engine.membership.Membership membership;

    private TombstonePurge purge() {
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (final String n : List.of("a", "b", "c", "d")) {
            zones.put(new NodeId(n), "");
            endpoints.put(new NodeId(n), new Endpoint(n, 1));
        }
        ring = Ring.create(Q, zones);
        partition = 3;
        self = ring.preferenceList(partition, 3).get(0);
        final VersionSet deleted = VersionSet.empty().update(VersionVector.empty(), Value.tombstone(clock.currentTimeMillis()),
            new ActorId(self.value(), 1));
        int written = 0;
        for (int i = 0; written < TOMBSTONES; i++) {
            final byte[] key = ("t" + i).getBytes(StandardCharsets.UTF_8);
            if (ring.partitionForKey(key) == partition) {
                store.merge(partition, key, deleted);
                written++;
            }
        }
        clock.advanceMillis(10_000);
        final StaticMembership initial = new StaticMembership(ring, endpoints);
        membership = initial;
        final io.armature.engine.membership.Membership view = new io.armature.engine.membership.Membership() {
            @Override
            public Ring ring() {
                return membership.ring();
            }

            @Override
            public Endpoint endpointOf(final NodeId node) {
                return membership.endpointOf(node);
            }
        };
        return new TombstonePurge(self, store, view, (to, m) -> {
            final byte[] body = ((Message.Opaque) m).body();
            if (body[1] == 0) {
                checks.add(body);
            }
            return true;
        }, clock, new TombstonePurgePolicy(1000), 3, new SimpleMeterRegistry());
    }

    /** @return the record keys checked, each once per CHECK round (one CHECK goes to each other member) */
    private Set<ByteBuffer> checkedKeys() {
        final Set<ByteBuffer> keys = new HashSet<>();
        for (final byte[] body : checks) {
            keys.add(ByteBuffer.wrap(java.util.Arrays.copyOfRange(body, 12, body.length)));
        }
        return keys;
    }

    @Test
    void oneSweepLooksAtABoundedNumberOfRecordsAndTheNextResumes() {
        final TombstonePurge purge = purge();
        purge.sweep(partition);
        final int first = checkedKeys().size();
        assertTrue(first > 0 && first <= TombstonePurge.SWEEP_BATCH, "one sweep checked " + first + " of " + TOMBSTONES + " tombstones");
        final Set<ByteBuffer> seen = new HashSet<>(checkedKeys());
        for (int i = 0; i < 1000 && seen.size() < TOMBSTONES; i++) {
            clock.advanceMillis(250);
            checks.clear();
            purge.sweep(partition);
            final Set<ByteBuffer> batch = checkedKeys();
            for (final ByteBuffer k : batch) {
                assertTrue(seen.add(k), "a pass checks each tombstone once");
            }
        }
        assertEquals(TOMBSTONES, seen.size(), "the sweeps went through the whole partition");
    }

    @Test
    void sweepsWithoutTimePassingLookAtABoundedNumberOfRecords() {
        final TombstonePurge purge = purge();
        for (int i = 0; i < 100; i++) {
            purge.sweep(partition);
        }
        final int checked = checkedKeys().size();
        assertTrue(checked <= TombstonePurge.SWEEP_BATCH, "a hundred sweeps within one instant checked " + checked + " tombstones");
        clock.advanceMillis(1000);
        purge.sweep(partition);
        assertTrue(checkedKeys().size() > checked, "time passing lets the sweep go on");
    }

    @Test
    void checksOfAPartitionThisNodeNoLongerSweepsAreForgotten() {
        final TombstonePurge purge = purge();
        purge.sweep(partition);
        assertTrue(purge.pendingChecks() > 0, "the checks await answers");
        // A ring in which another node comes first for the partition (this node left it).
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (final NodeId m : ring.members()) {
            if (!m.equals(self)) {
                zones.put(m, "");
            }
        }
        zones.put(new NodeId("e"), "");
        final Ring next = Ring.create(Q, zones);
        final Map<NodeId, Endpoint> e = new LinkedHashMap<>(endpoints);
        e.put(new NodeId("e"), new Endpoint("e", 1));
        membership = new StaticMembership(next, e);
        assertTrue(!next.preferenceList(partition, 3).get(0).equals(self));
        purge.sweep((partition + 1) % Q);
        assertEquals(0, purge.pendingChecks(), "checks of partitions this node no longer sweeps are dropped");
    }
}
