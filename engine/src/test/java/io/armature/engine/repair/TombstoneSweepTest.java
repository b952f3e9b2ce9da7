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
        return new TombstonePurge(self, store, new StaticMembership(ring, endpoints), (to, m) -> {
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
        assertTrue(first > 0 && first <= 1000, "one sweep checked " + first + " of " + TOMBSTONES + " tombstones");
        final Set<ByteBuffer> seen = new HashSet<>(checkedKeys());
        for (int i = 0; i < 1000 && seen.size() < TOMBSTONES; i++) {
            clock.advanceMillis(1000);
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
        assertTrue(checked <= 1000, "a hundred sweeps within one instant checked " + checked + " tombstones");
        clock.advanceMillis(1000);
        purge.sweep(partition);
        assertTrue(checkedKeys().size() > checked, "time passing lets the sweep go on");
    }
}
