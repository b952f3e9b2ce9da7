package io.armature.testkit.sim.check;

import java.util.List;

/**
 * One broken guarantee: which, on which key, what was seen, and the operations involved.
 *
 * @param guarantee the guarantee broken
 * @param key the key
 * @param message what was seen, naming versions and values
 * @param operations ids of the operations involved, in the run's history
 */
public record Violation(Guarantee guarantee, String key, String message, List<Integer> operations) {
    /**
     * Copies the list.
     *
     * @param guarantee guarantee
     * @param key key
     * @param message message
     * @param operations operation ids
     */
    public Violation {
        operations = List.copyOf(operations);
    }

    @Override
    public String toString() {
        return "[" + guarantee.title() + "] key " + key + ": " + message + (operations.isEmpty() ? "" : " ops " + operations);
    }
}
