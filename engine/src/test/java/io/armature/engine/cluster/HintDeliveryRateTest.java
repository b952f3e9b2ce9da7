package io.armature.engine.cluster;

import static io.armature.engine.cluster.ClusterTesting.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.config.RepairSettings;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measures hint delivery in hints per second, with the default 1 MiB/s limit and with it lifted;
 * tagged system since it times a run (run with {@code -Psystem} or {@code -Darmature.groups=system}).
 */
@Tag("system")
class HintDeliveryRateTest {
    private static final System.Logger LOG = System.getLogger(HintDeliveryRateTest.class.getName());
    private static final int WRITES = 100_000;

    @Test
    void hintDeliveryRateWithTheDefaultLimitAndWithItLifted() {
        final double limited = rate(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO));
        final double lifted = rate(RepairSettings.defaults().withAntiEntropyPeriod(Duration.ZERO).withHintRate(1_000_000_000L, 1_000_000_000L));
        LOG.log(System.Logger.Level.INFO, "hint delivery: {0} hints/s at the default rate, {1} hints/s lifted",
            Math.round(limited), Math.round(lifted));
        assertTrue(limited > 0 && lifted > 0, limited + " " + lifted);
    }

    private static double rate(final RepairSettings repair) {
        try (EmbeddedCluster c = HintedHandoffTest.handoffCluster().repair(repair).start()) {
            final int down = 3;
            c.stop(down);
            HintedHandoffTest.writeWithOneDown(c, down, WRITES);
            final long hints = HintedHandoffTest.hintsHeld(c);
            c.restart(down);
            // Timed from the first delivery, so the detector and the hint period do not count.
            await("a first delivery", () -> HintedHandoffTest.hintsHeld(c) < hints);
            final long start = System.nanoTime();
            final long first = HintedHandoffTest.hintsHeld(c);
            final long deadline = start + Duration.ofSeconds(60).toNanos();
            while (HintedHandoffTest.hintsHeld(c) > 0 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            final long elapsed = System.nanoTime() - start;
            assertTrue(HintedHandoffTest.hintsHeld(c) == 0, "all hints delivered within a minute");
            LOG.log(System.Logger.Level.INFO, "{0} hints held, {1} left at the first delivery, delivered in {2} ms",
                hints, first, elapsed / 1_000_000);
            return first / (elapsed / 1e9);
        }
    }
}
