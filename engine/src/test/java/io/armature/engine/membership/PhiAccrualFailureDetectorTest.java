package io.armature.engine.membership;

import io.armature.engine.testing.ManualClock;
import io.armature.engine.ring.NodeId;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhiAccrualFailureDetectorTest {
    private static final NodeId PEER = new NodeId("peer-1");
    private static final long SECOND = 1_000_000_000L;
    private static final double LN_10 = Math.log(10.0);

    private static void beat(final ManualClock clock, final PhiAccrualFailureDetector fd, final long intervalNanos,
                             final int count) {
        for (int i = 0; i < count; i++) {
            clock.advanceNanos(intervalNanos);
            fd.heard(PEER);
        }
    }

    @Property(tries = 200)
    void regularHeartbeatsWithJitterAreNeverSuspected(
        @ForAll @LongRange(min = 10_000_000L, max = 5_000_000_000L) final long interval,
        @ForAll @IntRange(min = 0, max = 50) final int jitterPercent,
        @ForAll final long seed) {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.forGossipPeriod(interval));
        final SplittableRandom random = new SplittableRandom(seed);
        fd.heard(PEER);
        for (int i = 0; i < 300; i++) {
            final long jitter = jitterPercent == 0 ? 0 : interval * (random.nextInt(2 * jitterPercent + 1) - jitterPercent) / 100;
            clock.advanceNanos(interval + jitter);
            assertTrue(fd.isAvailable(PEER), "suspected just before heartbeat " + i + ", phi " + fd.phi(PEER));
            fd.heard(PEER);
            assertTrue(fd.isAvailable(PEER));
        }
    }

    @Property(tries = 200)
    void silenceBeyondThresholdTimesLn10MeanIntervalsIsSuspectedAndAHeartbeatRestoresTrust(
        @ForAll @LongRange(min = 10_000_000L, max = 5_000_000_000L) final long interval,
        @ForAll @IntRange(min = 1, max = 1500) final int beats,
        @ForAll @IntRange(min = 1, max = 16) final int threshold) {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock,
            PhiAccrualSettings.forGossipPeriod(interval).withThreshold(threshold));
        fd.heard(PEER);
        beat(clock, fd, interval, beats);
        // Exponential model: phi = silence / (mean ln 10), so phi reaches the threshold after k = threshold ln 10 intervals.
        final double k = threshold * LN_10;
        clock.advanceNanos((long) Math.floor(k * interval * 0.99));
        assertTrue(fd.isAvailable(PEER), "suspected before " + k + " intervals");
        clock.advanceNanos((long) Math.ceil(k * interval * 0.02));
        assertFalse(fd.isAvailable(PEER), "not suspected after " + k + " intervals, phi " + fd.phi(PEER));
        fd.heard(PEER);
        assertTrue(fd.isAvailable(PEER));
        assertEquals(0.0, fd.phi(PEER));
    }

    @Test
    void timeToDetectAFailedNodeWithDefaultSettingsAndAOneSecondGossipPeriod(final TestReporter reporter) {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heard(PEER);
        beat(clock, fd, SECOND, 120);
        final long step = 10_000_000L;
        long silence = 0;
        while (fd.isAvailable(PEER)) {
            clock.advanceNanos(step);
            silence += step;
            assertTrue(silence < 120 * SECOND, "never detected");
        }
        // 8 ln 10 = 18.42 mean intervals of 1 s.
        assertEquals(8 * LN_10 * SECOND, silence, step);
        reporter.publishEntry("phi-detect-seconds(threshold 8, gossip 1 s)", String.format("%.2f", silence / 1e9));
    }

    @Test
    void theFirstHeartbeatIsJudgedAgainstTheEstimate() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        assertTrue(fd.isAvailable(PEER), "a node never heard from is available");
        fd.heard(PEER);
        assertEquals(SECOND, fd.meanIntervalNanos(PEER));
        clock.advanceNanos((long) (8 * LN_10 * SECOND) + 1);
        assertFalse(fd.isAvailable(PEER));
    }

    @Test
    void theAcceptablePauseDelaysSuspicionByExactlyThePause() {
        final ManualClock clock = new ManualClock();
        final long pause = 3 * SECOND;
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock,
            PhiAccrualSettings.defaults().withAcceptableHeartbeatPauseNanos(pause));
        fd.heard(PEER);
        beat(clock, fd, SECOND, 10);
        clock.advanceNanos(pause);
        assertEquals(0.0, fd.phi(PEER));
        clock.advanceNanos((long) (8 * LN_10 * SECOND) - 1_000_000L);
        assertTrue(fd.isAvailable(PEER));
        clock.advanceNanos(2_000_000L);
        assertFalse(fd.isAvailable(PEER));
    }

    @Test
    void consecutiveTimeoutsSuspectAtOnceAndAnythingHeardResetsThem() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heard(PEER);
        fd.timedOut(PEER);
        assertTrue(fd.isAvailable(PEER), "one time-out is not enough");
        fd.heard(PEER);
        fd.timedOut(PEER);
        assertTrue(fd.isAvailable(PEER), "a reply in between resets the count");
        fd.timedOut(PEER);
        assertFalse(fd.isAvailable(PEER));
        fd.heard(PEER);
        assertTrue(fd.isAvailable(PEER));

        final NodeId stranger = new NodeId("never-heard");
        fd.timedOut(stranger);
        fd.timedOut(stranger);
        assertFalse(fd.isAvailable(stranger), "time-outs count for a node never heard from too");
        assertEquals(0.0, fd.phi(stranger));
    }

    @Test
    void relayedHeartbeatsKeepPhiLowButDoNotClearTimeoutSuspicion() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heartbeat(PEER);
        beat(clock, fd, SECOND, 3);
        fd.timedOut(PEER);
        fd.timedOut(PEER);
        assertFalse(fd.isAvailable(PEER));
        for (int i = 0; i < 4; i++) {
            clock.advanceNanos(SECOND);
            fd.heartbeat(PEER);
            assertFalse(fd.isAvailable(PEER), "alive for others, still not answering us");
            assertTrue(fd.phi(PEER) < 1.0);
        }
        clock.advanceNanos(SECOND);
        fd.heartbeat(PEER);
        assertTrue(fd.isAvailable(PEER), "after the 5 s retry interval requests may probe it again");
        fd.timedOut(PEER);
        assertFalse(fd.isAvailable(PEER), "one more time-out suspects it anew");
        fd.heard(PEER);
        assertTrue(fd.isAvailable(PEER), "a direct reply clears the suspicion at once");
    }

    @Test
    void relayedHeartbeatsAloneDriveThePhiModel() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heartbeat(PEER);
        for (int i = 0; i < 30; i++) {
            clock.advanceNanos(1_500_000_000L);
            fd.heartbeat(PEER);
        }
        assertEquals(1_500_000_000L, fd.meanIntervalNanos(PEER), 20_000_000L);
        clock.advanceNanos((long) (8 * LN_10 * 1_500_000_000L * 1.02));
        assertFalse(fd.isAvailable(PEER));
    }

    @Test
    void timeoutsCanBeTurnedOff() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock,
            PhiAccrualSettings.defaults().withTimeoutsToSuspect(0));
        for (int i = 0; i < 10; i++) {
            fd.timedOut(PEER);
        }
        assertTrue(fd.isAvailable(PEER));
    }

    @Test
    void theWindowForgetsOldSamples() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock,
            PhiAccrualSettings.defaults().withWindowSize(50));
        fd.heard(PEER);
        beat(clock, fd, 1_900_000_000L, 200);
        assertEquals(1_900_000_000L, fd.meanIntervalNanos(PEER));
        beat(clock, fd, 700_000_000L, 50);
        assertEquals(700_000_000L, fd.meanIntervalNanos(PEER), "only the last 50 samples count");
    }

    @Test
    void anOutageIsNotLearnedAsANormalInterval() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heard(PEER);
        beat(clock, fd, SECOND, 20);
        clock.advanceNanos(600 * SECOND);
        assertFalse(fd.isAvailable(PEER));
        fd.heard(PEER);
        assertTrue(fd.isAvailable(PEER));
        assertEquals(SECOND, fd.meanIntervalNanos(PEER), "the 600 s gap exceeds the 2 s sample limit");
    }

    @Test
    void frequentRequestRepliesDoNotMakeAShortSilenceLookLikeAFailure() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heard(PEER);
        beat(clock, fd, 1_000_000L, 2000);
        assertEquals(500_000_000L, fd.meanIntervalNanos(PEER), "the floor holds");
        clock.advanceNanos(5 * SECOND);
        assertTrue(fd.isAvailable(PEER));
    }

    @Test
    void forgettingANodeMakesItUnknownAgain() {
        final ManualClock clock = new ManualClock();
        final PhiAccrualFailureDetector fd = new PhiAccrualFailureDetector(clock, PhiAccrualSettings.defaults());
        fd.heard(PEER);
        clock.advanceNanos(100 * SECOND);
        assertFalse(fd.isAvailable(PEER));
        fd.forget(PEER);
        assertTrue(fd.isAvailable(PEER));
    }

    @Test
    void settingsNameTheWrongSetting() {
        final PhiAccrualSettings d = PhiAccrualSettings.defaults();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withThreshold(0)).getMessage().contains("threshold"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withThreshold(Double.NaN)).getMessage().contains("threshold"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withWindowSize(0)).getMessage().contains("windowSize"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withAcceptableHeartbeatPauseNanos(-1))
            .getMessage().contains("acceptableHeartbeatPauseNanos"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withTimeoutsToSuspect(-1))
            .getMessage().contains("timeoutsToSuspect"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PhiAccrualSettings(8, 10, SECOND, 0, SECOND, SECOND, 2, 0))
            .getMessage().contains("timeoutRetryNanos"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PhiAccrualSettings.forGossipPeriod(0))
            .getMessage().contains("gossip period"));
        assertThrows(IllegalArgumentException.class, () -> new PhiAccrualSettings(8, 10, SECOND, 0, SECOND, SECOND / 2, 2, SECOND));
    }
}
