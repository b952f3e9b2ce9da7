package io.armature.testkit.chaos;

import io.armature.engine.replica.StorageLayout;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.spi.PluginRegistry;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.testkit.sim.check.FinalState;
import io.armature.testkit.sim.check.ReplicaState;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what stopped nodes left in their data directories: each node's record of each key, and
 * the newest ring any of them holds (for the keys' preference lists).
 */
public final class StoredReplicas {
    private StoredReplicas() {
    }

    /**
     * @param storageId the nodes' storage plugin
     * @param dataDirs node name to its data directory (the nodes must be stopped)
     * @param keys the keys to read
     * @param n replicas per key
     * @return the final state
     */
    public static FinalState read(final String storageId, final Map<String, Path> dataDirs, final Collection<String> keys, final int n) {
        final Map<String, StorageEngine> open = new LinkedHashMap<>();
        try {
            for (final Map.Entry<String, Path> e : dataDirs.entrySet()) {
                open.put(e.getKey(), PluginRegistry.storage().get(storageId).open(StorageConfig.builder().directory(e.getValue()).build()));
            }
            Ring ring = null;
            for (final StorageEngine s : open.values()) {
                final byte[] raw = s.get(Keyspace.meta(), StorageLayout.RING_KEY);
                if (raw != null) {
                    final Ring r = Ring.decode(raw);
                    if (ring == null || r.epoch() > ring.epoch()) {
                        ring = r;
                    }
                }
            }
            final FinalState state = new FinalState();
            for (final String key : keys) {
                if (ring != null) {
                    final List<String> owners = new ArrayList<>();
                    for (final NodeId id : ring.preferenceList(ring.partitionForKey(bytes(key)), n)) {
                        owners.add(id.value());
                    }
                    state.owners(key, owners);
                }
                for (final Map.Entry<String, StorageEngine> e : open.entrySet()) {
                    final ReplicaState r = ring == null ? null : replica(e.getValue(), ring, key);
                    if (r != null) {
                        state.put(key, e.getKey(), r);
                    }
                }
            }
            return state;
        } finally {
            open.values().forEach(StorageEngine::close);
        }
    }

    /**
     * @param storage a node's storage
     * @param ring the ring (for the key's partition)
     * @param key a key
     * @return the node's record of the key, decoded, or null if it holds none
     */
    public static ReplicaState replica(final StorageEngine storage, final Ring ring, final String key) {
        final byte[] raw = storage.get(Keyspace.partition(ring.partitionForKey(bytes(key))), StorageLayout.recordKey(bytes(key)));
        if (raw == null) {
            return null;
        }
        final VersionSet set = VersionSet.decode(raw);
        final List<String> live = new ArrayList<>();
        int tombstones = 0;
        for (final Value v : set.values()) {
            if (v.tombstone()) {
                tombstones++;
            } else {
                live.add(new String(v.data(), StandardCharsets.UTF_8));
            }
        }
        return new ReplicaState(live, tombstones, set.context().toContext(), set);
    }

    private static byte[] bytes(final String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
