package io.armature.spi.runtime;

/**
 * The JVM's clocks. Production wiring only; logic under test takes a virtual {@link Clock}.
 */
final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }
}
