package io.armature.engine.runtime;

import io.armature.spi.runtime.Clock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Assertions;

class OffsetClockProperties {
    private static final class FixedClock implements Clock {
        private final long nanos;
        private final long millis;

        FixedClock(final long nanos, final long millis) {
            this.nanos = nanos;
            this.millis = millis;
        }

        @Override
        public long nanoTime() {
            return nanos;
        }

        @Override
        public long currentTimeMillis() {
            return millis;
        }
    }

    @Property
    void wallTimeMovesByTheOffsetAndMonotonicTimeNever(@ForAll final long nanos, @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) final long millis,
                                                      @ForAll @LongRange(min = -86_400_000L, max = 86_400_000L) final long first,
                                                      @ForAll @LongRange(min = -86_400_000L, max = 86_400_000L) final long jump) {
        final OffsetClock clock = new OffsetClock(new FixedClock(nanos, millis), first);
        Assertions.assertEquals(millis + first, clock.currentTimeMillis());
        clock.offsetMillis(jump);
        Assertions.assertEquals(millis + jump, clock.currentTimeMillis());
        Assertions.assertEquals(jump, clock.offsetMillis());
        Assertions.assertEquals(nanos, clock.nanoTime(), "timers and the failure detector keep the base clock");
    }
}
