package io.armature.engine.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** TEMPORARY stand-in until the ring branch lands. */
public final class Ring {
    private final int partitions;
    private final NodeId[] owners;
    private final TreeMap<NodeId, String> zones;

    private Ring(final int partitions, final Map<NodeId, String> zones) {
        this.partitions = partitions;
        this.zones = new TreeMap<>(zones);
        final List<NodeId> nodes = new ArrayList<>(this.zones.keySet());
        owners = new NodeId[partitions];
        for (int p = 0; p < partitions; p++) {
            owners[p] = nodes.get(p % nodes.size());
        }
    }

    /** @param partitions q @param zones zones @return ring */
    public static Ring create(final int partitions, final Map<NodeId, String> zones) {
        return new Ring(partitions, zones);
    }

    /** @return members */
    public Set<NodeId> members() {
        return zones.keySet();
    }

    /** @return q */
    public int partitionCount() {
        return partitions;
    }

    /** @param hash h @return p */
    public int partitionOf(final long hash) {
        return (int) (hash >>> (64 - Integer.numberOfTrailingZeros(partitions)));
    }

    /** @param key k @return p */
    public int partitionForKey(final byte[] key) {
        return partitionOf(KeyHash.hash64(key));
    }

    /** @param partition p @return owner */
    public NodeId owner(final int partition) {
        return owners[partition];
    }

    /** @param partition p @param n n @return list */
    public List<NodeId> preferenceList(final int partition, final int n) {
        final List<NodeId> w = walk(partition);
        return w.subList(0, Math.min(n, w.size()));
    }

    /** @param partition p @return walk */
    public List<NodeId> walk(final int partition) {
        final List<NodeId> out = new ArrayList<>();
        for (int i = 0; i < partitions && out.size() < zones.size(); i++) {
            final NodeId o = owners[(partition + i) % partitions];
            if (!out.contains(o)) {
                out.add(o);
            }
        }
        return out;
    }
}
