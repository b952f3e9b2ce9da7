package io.armature.samples.cli;

import java.util.List;
import java.util.Map;

/**
 * What {@code armature status} prints: the membership and ring as one node sees them.
 *
 * @param reportedBy the node that answered
 * @param ringEpoch the ring's version
 * @param partitions the ring's partition count Q
 * @param members every member, sorted by node id
 * @param meters each node's meters by node id (empty unless asked for)
 */
public record ClusterStatus(String reportedBy, long ringEpoch, int partitions, List<Member> members,
                            Map<String, List<MeterSample>> meters) {
    /**
     * One member of the cluster.
     *
     * @param nodeId its id
     * @param address where it listens, {@code host:port}
     * @param state its state as the reporting node sees it (for example {@code up}, {@code suspected})
     * @param ownedPartitions the partitions it owns, ascending
     */
    public record Member(String nodeId, String address, String state, List<Integer> ownedPartitions) {
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
}
