package io.armature.samples.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.armature.testkit.chaos.ChaosConfig;
import io.armature.testkit.chaos.ChaosResult;
import io.armature.testkit.chaos.ChaosRun;
import io.armature.testkit.chaos.Hosts;
import io.armature.testkit.chaos.Nemesis;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default build's chaos run: three real node processes (bdb + aeron), each in its own network
 * namespace, every nemesis kind once, concurrent clients, and the simulator's checker on the
 * history. Skipped, with the reason, where network namespaces cannot be made.
 */
class ChaosRunTest {
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void threeNodesUnderEveryNemesisLoseNothing() {
        final String unavailable = Hosts.unavailableReason();
        assumeTrue(unavailable == null, () -> "chaos run skipped: " + unavailable);
        final long seed = Long.getLong("chaos.seed", 1L);
        final ChaosResult result = ChaosRun.run(ChaosConfig.shortRun(ChaosLauncher.fromTestClassPath(), ChaosLauncher.outputDir(), seed),
            System.out);
        final Set<Nemesis.Kind> kinds = result.schedule().nemeses().stream().map(Nemesis::kind)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Nemesis.Kind.class)));
        assertEquals(EnumSet.allOf(Nemesis.Kind.class), kinds, "every nemesis kind struck");
        assertTrue(result.ok(), () -> result.summary() + "\nsee " + result.directory());
        assertEquals(List.of(), result.unrecovered(), () -> "every node serves again after every fault: " + result.summary());
        assertTrue(result.acknowledgedWrites() > 100, () -> "the clients got writes through: " + result.summary());
    }
}
