package io.armature.samples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code armature status} prints: the membership and ring as one node sees them, and what
 * each member reports of itself (its load).
 *
 * @param reportedBy the node that answered
 * @param ringEpoch the ring's version
 * @param partitions the ring's partition count Q
 * @param members every member, sorted by node id
 * @param meters each node's meters by node id (empty unless asked for)
 * @param loads what each node reports of itself, by node id (the members that could not be asked are missing)
 */
public record ClusterStatus(String reportedBy, long ringEpoch, int partitions, List<Member> members,
                            Map<String, List<MeterSample>> meters, Map<String, Load> loads) {
    /**
     * A status without loads.
     *
     * @param reportedBy the node that answered
     * @param ringEpoch the ring's version
     * @param partitions the ring's partition count Q
     * @param members every member, sorted by node id
     * @param meters each node's meters by node id (empty unless asked for)
     */
    public ClusterStatus(final String reportedBy, final long ringEpoch, final int partitions, final List<Member> members,
                         final Map<String, List<MeterSample>> meters) {
        this(reportedBy, ringEpoch, partitions, members, meters, Map.of());
    }

    /**
     * One member of the cluster, as the reporting node sees it.
     *
     * @param nodeId its id
     * @param address where it listens, {@code host:port}
     * @param state {@code joining}, {@code up}, {@code suspected}, {@code leaving} or {@code left}
     * @param ownedPartitions the partitions it owns, ascending
     * @param ringEpoch the ring epoch it gossips, or -1 if unknown
     * @param replicatedPartitions how many partitions it replicates (is one of the N of)
     * @param inRing whether the reporting node's ring names it
     * @param zone its zone, {@code ""} for none
     */
    public record Member(String nodeId, String address, String state, List<Integer> ownedPartitions, long ringEpoch,
                         int replicatedPartitions, boolean inRing, String zone) {
        /**
         * A member in no zone.
         *
         * @param nodeId its id
         * @param address where it listens
         * @param state its state
         * @param ownedPartitions the partitions it owns
         * @param ringEpoch the ring epoch it gossips, or -1 if unknown
         * @param replicatedPartitions how many partitions it replicates
         * @param inRing whether the reporting node's ring names it
         */
        public Member(final String nodeId, final String address, final String state, final List<Integer> ownedPartitions,
                      final long ringEpoch, final int replicatedPartitions, final boolean inRing) {
            this(nodeId, address, state, ownedPartitions, ringEpoch, replicatedPartitions, inRing, "");
        }

        /** @return this member in the given zone */
        Member inZone(final String z) {
            return new Member(nodeId, address, state, ownedPartitions, ringEpoch, replicatedPartitions, inRing, z);
        }

        /**
         * A ring member with no gossip detail.
         *
         * @param nodeId its id
         * @param address where it listens
         * @param state its state
         * @param ownedPartitions the partitions it owns
         */
        public Member(final String nodeId, final String address, final String state, final List<Integer> ownedPartitions) {
            this(nodeId, address, state, ownedPartitions, -1, 0, true);
        }
    }

    /**
     * What one node reports of itself.
     *
     * @param ringEpoch the ring epoch it holds
     * @param ready whether it holds a ring that names it and has no inbound transfer pending
     * @param transfersIn partitions it still has to pull
     * @param transfersOut partitions other nodes still pull from it
     * @param releasing partitions it lost and keeps until their gainers hold them
     * @param hints hints it holds, by the owner they are for
     * @param keys records it stores in the partitions it holds
     * @param bytes bytes of those records (keys and values as stored)
     * @param antiEntropyExchanges anti-entropy exchanges it started since it started
     * @param antiEntropyKeysRepaired keys anti-entropy repaired on it since it started
     */
    public record Load(long ringEpoch, boolean ready, int transfersIn, int transfersOut, int releasing, Map<String, Long> hints,
                       long keys, long bytes, long antiEntropyExchanges, long antiEntropyKeysRepaired) {
        /** @return every hint held, whatever its owner */
        public long hintsHeld() {
            return hints.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * One measurement of one meter.
     *
     * @param name the meter's name, for example {@code armature.requests}
     * @param tags its tags, in key order
     * @param statistic what was measured, for example {@code count} or {@code total_time}
     * @param value the measurement
     */
    public record MeterSample(String name, Map<String, String> tags, String statistic, double value) {
    }

    /**
     * What makes the cluster unhealthy as this status shows it: a ring member suspected, one whose
     * own report could not be fetched (when loads were asked for), or members holding different
     * ring epochs. A joining or leaving member is a change in progress, not a fault.
     *
     * @param loadsAsked whether every member was asked for its load
     * @return one line per problem, empty when healthy
     */
    public List<String> problems(final boolean loadsAsked) {
        final List<String> out = new ArrayList<>();
        final Map<Long, List<String>> epochs = new TreeMap<>();
        for (final Member m : members) {
            if (!m.inRing()) {
                // Left, removed, or a joiner not yet placed: none of them holds data the cluster needs.
                continue;
            }
            if (m.state().equals("suspected")) {
                out.add(m.nodeId() + " is suspected (down or unreachable)");
            }
            final Load load = loads.get(m.nodeId());
            if (loadsAsked && load == null && !m.state().equals("suspected")) {
                out.add(m.nodeId() + " did not answer its status");
            }
            final long epoch = load != null ? load.ringEpoch() : m.ringEpoch();
            if (epoch >= 0 && m.inRing()) {
                epochs.computeIfAbsent(epoch, e -> new ArrayList<>()).add(m.nodeId());
            }
        }
        if (epochs.size() > 1 || epochs.size() == 1 && !epochs.containsKey(ringEpoch)) {
            final List<String> parts = new ArrayList<>();
            epochs.forEach((e, nodes) -> parts.add("epoch " + e + " at " + String.join(",", nodes)));
            out.add("members hold different rings: " + String.join("; ", parts) + " (" + reportedBy + " holds epoch " + ringEpoch + ")");
        }
        return out;
    }
}
