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
        assertEquals(0, r.exitCode(), r.toString());
        final List<String> lines = r.out().lines().toList();
        assertEquals("ring epoch 3, 8 partitions, 2 members (as seen by n1)", lines.get(0));
        assertTrue(lines.get(2).matches("n1\\s+127.0.0.1:7001\\s+up\\s+4\\s+0-2,5"), lines.get(2));
        assertTrue(lines.get(3).matches("n2\\s+127.0.0.1:7002\\s+suspected\\s+4\\s+3-4,6-7"), lines.get(3));
        assertEquals("meters of n1:", lines.get(4));
        assertEquals("  armature.requests{op=get} count 12", lines.get(5));
    }

    @Test
    void rangesCompressRuns() {
        assertEquals("-", Ranges.of(List.of()));
        assertEquals("7", Ranges.of(List.of(7)));
        assertEquals("0-3,8,10-11", Ranges.of(List.of(0, 1, 2, 3, 8, 10, 11)));
    }
}
