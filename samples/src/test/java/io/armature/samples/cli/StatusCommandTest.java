package io.armature.samples.cli;

import io.armature.samples.demo.Ranges;
import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusCommandTest {
    @Test
    void printsMembersStatesAndPartitionRanges() {
        final FakeConnector cluster = new FakeConnector();
        cluster.status(new ClusterStatus("n1", 3, 8, List.of(
            new ClusterStatus.Member("n1", "127.0.0.1:7001", "up", List.of(0, 1, 2, 5)),
            new ClusterStatus.Member("n2", "127.0.0.1:7002", "suspected", List.of(3, 4, 6, 7))),
            Map.of("n1", List.of(new ClusterStatus.MeterSample("armature.requests", Map.of("op", "get"), "count", 12)))));
        final CliRun r = CliRun.run(cluster, "status", "--cluster", "127.0.0.1:7001", "--metrics");
        assertEquals(ExitCodes.UNHEALTHY, r.exitCode(), "a suspected member makes the cluster unhealthy: " + r);
        final List<String> lines = r.out().lines().toList();
        assertEquals("ring epoch 3, 8 partitions, 2 members (as seen by n1)", lines.get(0));
        assertTrue(lines.get(2).matches("n1\\s+127.0.0.1:7001\\s+up\\s+4\\s+0-2,5"), lines.get(2));
        assertTrue(lines.get(3).matches("n2\\s+127.0.0.1:7002\\s+suspected\\s+4\\s+3-4,6-7"), lines.get(3));
        assertEquals("meters of n1:", lines.get(4));
        assertEquals("  armature.requests{op=get} count 12", lines.get(5));
        assertEquals("unhealthy: n2 is suspected (down or unreachable)", lines.get(6));
    }

    @Test
    void aZoneColumnAppearsOnlyWhenAMemberHasAZone() {
        final FakeConnector cluster = new FakeConnector();
        cluster.status(new ClusterStatus("n1", 3, 8, List.of(
            new ClusterStatus.Member("n1", "127.0.0.1:7001", "up", List.of(0, 1, 2, 5), 3, 8, true, "eu-west-1a"),
            new ClusterStatus.Member("n2", "127.0.0.1:7002", "up", List.of(3, 4, 6, 7), 3, 8, true, "")),
            Map.of(), Map.of("n1", load(3, 0, Map.of()), "n2", load(3, 0, Map.of()))));
        final List<String> lines = CliRun.run(cluster, "status", "--cluster", "127.0.0.1:7001").out().lines().toList();
        assertTrue(lines.get(1).matches("NODE\\s+ADDRESS\\s+ZONE\\s+STATE\\s+EPOCH.*"), lines.get(1));
        assertTrue(lines.get(2).matches("n1\\s+127.0.0.1:7001\\s+eu-west-1a\\s+up\\s+3\\s+4\\s.*"), lines.get(2));
        assertTrue(lines.get(3).matches("n2\\s+127.0.0.1:7002\\s+up\\s+3\\s+4\\s.*"), "no zone, an empty cell: " + lines.get(3));
    }

    private static ClusterStatus.Load load(final long epoch, final int in, final Map<String, Long> hints) {
        return new ClusterStatus.Load(epoch, in == 0, in, 0, 0, hints, 10, 400, 3, 1);
    }

    @Test
    void jsonHasOneEntryPerMemberWithItsLoadAndTheHealth() {
        final FakeConnector cluster = new FakeConnector();
        cluster.status(new ClusterStatus("n1", 3, 8, List.of(
            new ClusterStatus.Member("n1", "127.0.0.1:7001", "up", List.of(0, 1, 2, 5), 3, 8, true),
            new ClusterStatus.Member("n2", "127.0.0.1:7002", "up", List.of(3, 4, 6, 7), 3, 8, true),
            new ClusterStatus.Member("n3", "127.0.0.1:7003", "left", List.of(), 2, 0, false)),
            Map.of(), Map.of("n1", load(3, 0, Map.of("n2", 4L)), "n2", load(3, 2, Map.of()))));
        final CliRun r = CliRun.run(cluster, "status", "--cluster", "127.0.0.1:7001", "--json");
        assertEquals(0, r.exitCode(), "a member that left is no fault: " + r);
        final String json = r.out().strip();
        assertTrue(json.startsWith("{\"schema\":1,\"reportedBy\":\"n1\",\"healthy\":true,\"problems\":[],"
            + "\"ring\":{\"epoch\":3,\"partitions\":8},\"members\":[{\"node\":\"n1\",\"address\":\"127.0.0.1:7001\",\"zone\":\"\","
            + "\"state\":\"up\",\"inRing\":true,\"ringEpoch\":3,\"ownedPartitions\":4,\"owned\":\"0-2,5\","
            + "\"replicatedPartitions\":8,\"reported\":true,\"ready\":true,\"transfersIn\":0,\"transfersOut\":0,"
            + "\"releasing\":0,\"hintsHeld\":{\"n2\":4},\"keys\":10,\"bytes\":400,"
            + "\"antiEntropy\":{\"exchanges\":3,\"keysRepaired\":1}}"), json);
        assertTrue(json.contains("{\"node\":\"n2\",\"address\":\"127.0.0.1:7002\",\"zone\":\"\",\"state\":\"up\",\"inRing\":true,"
            + "\"ringEpoch\":3,\"ownedPartitions\":4,\"owned\":\"3-4,6-7\",\"replicatedPartitions\":8,\"reported\":true,"
            + "\"ready\":false,\"transfersIn\":2"), json);
        assertTrue(json.endsWith("{\"node\":\"n3\",\"address\":\"127.0.0.1:7003\",\"zone\":\"\",\"state\":\"left\",\"inRing\":false,"
            + "\"ringEpoch\":2,\"ownedPartitions\":0,\"owned\":\"-\",\"replicatedPartitions\":0,\"reported\":false}]}"), json);
    }

    @Test
    void membersHoldingDifferentRingsOrNotAnsweringAreUnhealthy() {
        final FakeConnector cluster = new FakeConnector();
        cluster.status(new ClusterStatus("n1", 4, 8, List.of(
            new ClusterStatus.Member("n1", "127.0.0.1:7001", "up", List.of(0, 1, 2, 3), 4, 8, true),
            new ClusterStatus.Member("n2", "127.0.0.1:7002", "up", List.of(4, 5, 6, 7), 3, 8, true),
            new ClusterStatus.Member("n3", "127.0.0.1:7003", "joining", List.of(), 4, 0, true)),
            Map.of(), Map.of("n1", load(4, 0, Map.of()), "n2", load(3, 0, Map.of()))));
        final CliRun r = CliRun.run(cluster, "status", "--cluster", "127.0.0.1:7001", "--json");
        assertEquals(ExitCodes.UNHEALTHY, r.exitCode(), r.toString());
        assertTrue(r.out().contains("\"healthy\":false,\"problems\":[\"n3 did not answer its status\","
            + "\"members hold different rings: epoch 3 at n2; epoch 4 at n1,n3 (n1 holds epoch 4)\"]"), r.out());
    }

    @Test
    void rangesCompressRuns() {
        assertEquals("-", Ranges.of(List.of()));
        assertEquals("7", Ranges.of(List.of(7)));
        assertEquals("0-3,8,10-11", Ranges.of(List.of(0, 1, 2, 3, 8, 10, 11)));
    }
}
