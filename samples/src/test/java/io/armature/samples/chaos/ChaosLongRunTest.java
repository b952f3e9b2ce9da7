package io.armature.samples.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.armature.testkit.chaos.ChaosConfig;
import io.armature.testkit.chaos.ChaosResult;
import io.armature.testkit.chaos.ChaosRun;
import io.armature.testkit.chaos.Hosts;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code -Pchaos}: five node processes, N=3 R=2 W=2, every nemesis kind in each round of a
 * time budget ({@code -Dchaos.seconds}, default 300), {@code -Dchaos.runs} runs from
 * {@code -Dchaos.seed}. Every run must pass the checker and every node must serve again after every fault.
 */
@Tag("chaos")
class ChaosLongRunTest {
    @Test
    void fiveNodesUnderEveryNemesisLoseNothing() {
        final String unavailable = Hosts.unavailableReason();
        assumeTrue(unavailable == null, () -> "chaos run skipped: " + unavailable);
        final int runs = Integer.getInteger("chaos.runs", 1);
        final long seed = Long.getLong("chaos.seed", 1L);
        final int seconds = Integer.getInteger("chaos.seconds", 300);
        final List<String> failed = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            final ChaosResult r = ChaosRun.run(ChaosConfig.longRun(ChaosLauncher.fromTestClassPath(), ChaosLauncher.outputDir(),
                seed + i, seconds), System.out);
            assertTrue(r.acknowledgedWrites() > 0, r::summary);
            if (!r.ok() || !r.unrecovered().isEmpty()) {
                failed.add(r.summary() + "\nsee " + r.directory());
            }
        }
        assertEquals(List.of(), failed, "every run passes");
    }
}
