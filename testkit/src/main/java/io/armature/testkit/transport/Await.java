package io.armature.testkit.transport;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until a deadline: the way transport tests wait, never with a fixed sleep.
 */
public final class Await {
    private Await() {
    }

    /**
     * Waits until a condition holds.
     *
     * @param limit how long to wait at most
     * @param condition what must become true
     * @param failure describes what was expected, evaluated only on failure
     * @throws AssertionError with the description if the deadline passes first
     */
    public static void until(final Duration limit, final BooleanSupplier condition, final Supplier<String> failure) {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("after " + limit + ": " + failure.get());
            }
            LockSupport.parkNanos(200_000);
        }
    }
}
