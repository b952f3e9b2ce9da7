package io.armature.samples.chaos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.armature.testkit.chaos.ChaosConfig;
import io.armature.testkit.chaos.ChaosResult;
import io.armature.testkit.chaos.ChaosRun;
import io.armature.testkit.chaos.Hosts;
import io.armature.testkit.chaos.Nemesis;
import io.armature.testkit.sim.check.Guarantee;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The harness can see a loss: real node processes built with the simulator's last-write-wins
 * mutant (replicas keep the newest of concurrent versions instead of siblings) lose concurrent
 * acknowledged writes across a partition and a clock jump, and the checker must say so.
 */
class ChaosMutantTest {
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void lastWriteWinsNodesFailTheChecker() {
        final String unavailable = Hosts.unavailableReason();
        assumeTrue(unavailable == null, () -> "chaos run skipped: " + unavailable);
        final ChaosConfig config = ChaosConfig.shortRun(ChaosLauncher.fromTestClassPath(), ChaosLauncher.outputDir(), 7L)
            .withNodeSettings(Map.of("node.faults", "LAST_WRITE_WINS"))
            .withKinds(EnumSet.of(Nemesis.Kind.PARTITION_HALVES, Nemesis.Kind.CLOCK_JUMP), 20);
        final ChaosResult result = ChaosRun.run(config, System.out);
        assertTrue(result.acknowledgedWrites() > 50, () -> "the clients got writes through: " + result.summary());
        assertFalse(result.ok(), () -> "last-write-wins lost nothing the checker could see: " + result.summary());
        assertTrue(result.report().violates(Guarantee.NO_LOST_WRITE) || result.report().violates(Guarantee.NO_SILENT_OVERWRITE),
            () -> "the loss shows as a lost write or a silent overwrite: " + result.report());
    }
}
