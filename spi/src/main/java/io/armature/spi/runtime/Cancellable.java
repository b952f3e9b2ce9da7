package io.armature.spi.runtime;

/**
 * A handle on a scheduled task.
 */
@FunctionalInterface
public interface Cancellable {
    /**
     * Stops the task from running again. Idempotent; cancelling a task that already ran is harmless.
     */
    void cancel();
}
