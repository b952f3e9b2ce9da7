package io.armature.testkit.sim.check;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Every replica's record of every key at the end of a run, after healing and repair, and which
 * nodes should replicate each key (its preference list).
 */
public final class FinalState {
    private final Map<String, Map<String, ReplicaState>> replicas = new TreeMap<>();
    private final Map<String, List<String>> owners = new TreeMap<>();
    private final Map<String, List<String>> pastOwners = new TreeMap<>();

    /**
     * @param key a key
     * @param node a node holding a record of it
     * @param state the record
     * @return this
     */
    public FinalState put(final String key, final String node, final ReplicaState state) {
        replicas.computeIfAbsent(key, k -> new TreeMap<>()).put(node, state);
        return this;
    }

    /**
     * @param key a key
     * @param nodes its preference list: the nodes that must hold it
     * @return this
     */
    public FinalState owners(final String key, final List<String> nodes) {
        owners.put(key, List.copyOf(nodes));
        return this;
    }

    /**
     * @param key a key
     * @param nodes every node that replicated it in some ring used during the run (partitions
     *     move on joins and leaves): a write's copies may have been on any of them
     * @return this
     */
    public FinalState pastOwners(final String key, final List<String> nodes) {
        pastOwners.put(key, List.copyOf(nodes));
        return this;
    }

    /**
     * @param key a key
     * @return every node that replicated it during the run, the final owners included; the final
     *     owners if no past owners were given, or null if neither is known
     */
    public List<String> everOwners(final String key) {
        final List<String> past = pastOwners.get(key);
        final List<String> now = owners.get(key);
        if (past == null || now == null) {
            return past == null ? now : past;
        }
        final Set<String> all = new TreeSet<>(past);
        all.addAll(now);
        return List.copyOf(all);
    }

    /**
     * @param key a key
     * @return node to record, for every node holding one
     */
    public Map<String, ReplicaState> replicas(final String key) {
        return Collections.unmodifiableMap(replicas.getOrDefault(key, Map.of()));
    }

    /**
     * @param key a key
     * @return the nodes that must hold it, or null if unknown
     */
    public List<String> owners(final String key) {
        return owners.get(key);
    }

    /**
     * @return every key some replica holds or that has known owners
     */
    public Set<String> keys() {
        final Set<String> s = new TreeSet<>(replicas.keySet());
        s.addAll(owners.keySet());
        return s;
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder();
        for (final String k : keys()) {
            b.append(k).append(": ").append(replicas(k)).append(owners(k) == null ? "" : " owners " + owners(k)).append('\n');
        }
        return b.toString();
    }
}
