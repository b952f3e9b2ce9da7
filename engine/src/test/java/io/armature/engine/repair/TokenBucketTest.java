package io.armature.engine.repair;

import io.armature.engine.testing.ManualClock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void startsFullAllowsTheBurstThenRefillsAtTheRate() {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, 1000, 500);
        assertTrue(bucket.tryAcquire(500));
        assertFalse(bucket.tryAcquire(1));
        clock.advanceNanos(SECOND / 1000 - 1);
        assertFalse(bucket.tryAcquire(1), "one token takes exactly 1 ms at 1000/s");
        clock.advanceNanos(1);
        assertTrue(bucket.tryAcquire(1));
        clock.advanceNanos(10 * SECOND);
        assertEquals(500, bucket.available(), "never above the capacity");
    }

    @Test
    void aRefusedAcquireTakesNothing() {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, 10, 10);
        assertTrue(bucket.tryAcquire(6));
        assertFalse(bucket.tryAcquire(5));
        assertTrue(bucket.tryAcquire(4));
        assertTrue(bucket.tryAcquire(0));
    }

    @Test
    void nanosUntilAvailableIsExact() {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, 3, 3);
        assertEquals(0, bucket.nanosUntilAvailable(3));
        assertTrue(bucket.tryAcquire(3));
        final long wait = bucket.nanosUntilAvailable(2);
        assertEquals((2 * SECOND + 2) / 3, wait);
        clock.advanceNanos(wait - 1);
        assertFalse(bucket.tryAcquire(2));
        clock.advanceNanos(1);
        assertTrue(bucket.tryAcquire(2));
    }

    @Test
    void frequentPollingDoesNotDrift() {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, 3, 1);
        assertTrue(bucket.tryAcquire(1));
        long granted = 0;
        for (long t = 0; t < 3 * SECOND; t += 997) {
            clock.advanceNanos(997);
            if (bucket.tryAcquire(1)) {
                granted++;
            }
        }
        assertEquals(8, granted, "3 tokens a second for 3 s, the first at 333,333,334 ns; the 9th is due after the loop");
    }

    @Property(tries = 300)
    void grantsNeverExceedTheBurstPlusTheRateAndAGreedyUserGetsTheRate(
        @ForAll @LongRange(min = 1, max = 10_000_000) final long rate,
        @ForAll @LongRange(min = 1, max = 10_000_000) final long capacity,
        @ForAll final long seed) {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, rate, capacity);
        final SplittableRandom random = new SplittableRandom(seed);
        long granted = 0;
        long elapsed = 0;
        for (int i = 0; i < 2000; i++) {
            final long step = random.nextLong(SECOND / 100);
            clock.advanceNanos(step);
            elapsed += step;
            final long want = 1 + random.nextLong(Math.min(capacity, rate * 100));
            if (bucket.tryAcquire(want)) {
                granted += want;
            } else {
                final long wait = bucket.nanosUntilAvailable(want);
                assertTrue(wait > 0);
                clock.advanceNanos(wait);
                elapsed += wait;
                assertTrue(bucket.tryAcquire(want), "available after the promised wait");
                granted += want;
            }
            assertTrue(granted <= capacity + (double) rate * elapsed / SECOND + 1e-6,
                granted + " granted in " + elapsed + " ns");
        }
    }

    @Property(tries = 300)
    void aUserWhoWaitsExactlyAsToldGetsTheFullRate(
        @ForAll @LongRange(min = 1, max = 10_000_000) final long rate,
        @ForAll @LongRange(min = 1, max = 10_000_000) final long capacity,
        @ForAll final long seed) {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, rate, capacity);
        final SplittableRandom random = new SplittableRandom(seed);
        long granted = 0;
        long elapsed = 0;
        for (int i = 0; i < 2000; i++) {
            final long want = 1 + random.nextLong(Math.min(capacity, rate * 100));
            final long wait = bucket.nanosUntilAvailable(want);
            clock.advanceNanos(wait);
            elapsed += wait;
            assertTrue(bucket.tryAcquire(want));
            granted += want;
        }
        // Nothing is wasted but rounding: a wait is whole nanoseconds, so a wait that fills the bucket to the brim
        // may lose under one nanosecond's worth of tokens (rate / 1e9) to the cap.
        final double earned = (double) rate * elapsed / SECOND;
        final double rounding = 2000.0 * rate / SECOND;
        assertTrue(granted >= earned - rounding - 1e-6, granted + " granted, " + earned + " earned");
        assertTrue(granted <= capacity + earned + 1e-6, granted + " granted, " + earned + " earned");
    }

    @Test
    void settingsAndPermitsAreChecked() {
        final ManualClock clock = new ManualClock();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenBucket(clock, 0, 1)).getMessage().contains("ratePerSecond"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TokenBucket(clock, 1, 0)).getMessage().contains("capacity"));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(clock, 1, TokenBucket.MAX_CAPACITY + 1));
        final TokenBucket bucket = new TokenBucket(clock, 1, 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> bucket.tryAcquire(11)).getMessage().contains("split"));
        assertThrows(IllegalArgumentException.class, () -> bucket.tryAcquire(-1));
    }

    @Test
    void theLargestSettingsDoNotOverflow() {
        final ManualClock clock = new ManualClock();
        final TokenBucket bucket = new TokenBucket(clock, TokenBucket.MAX_CAPACITY, TokenBucket.MAX_CAPACITY);
        assertTrue(bucket.tryAcquire(TokenBucket.MAX_CAPACITY));
        clock.advanceNanos(Long.MAX_VALUE / 2);
        assertEquals(TokenBucket.MAX_CAPACITY, bucket.available());
        assertTrue(bucket.tryAcquire(TokenBucket.MAX_CAPACITY));
        clock.advanceNanos(1);
        assertEquals(1, bucket.available());
    }
}
