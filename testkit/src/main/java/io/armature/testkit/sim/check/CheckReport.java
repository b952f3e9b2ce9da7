package io.armature.testkit.sim.check;

import java.util.List;

/**
 * The checker's verdict on one run.
 *
 * @param violations every broken guarantee found, empty when the run is correct
 * @param notes guarantees not checked in this run and why (for example read-your-writes after
 *     sloppy substitution)
 */
public record CheckReport(List<Violation> violations, List<String> notes) {
    /**
     * Copies the lists.
     *
     * @param violations violations
     * @param notes notes
     */
    public CheckReport {
        violations = List.copyOf(violations);
        notes = List.copyOf(notes);
    }

    /**
     * @return true when no guarantee was broken
     */
    public boolean ok() {
        return violations.isEmpty();
    }

    /**
     * @param g a guarantee
     * @return true if it was broken
     */
    public boolean violates(final Guarantee g) {
        return violations.stream().anyMatch(v -> v.guarantee() == g);
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder(ok() ? "all guarantees hold" : violations.size() + " violation(s):");
        for (final Violation v : violations) {
            b.append("\n  ").append(v);
        }
        for (final String n : notes) {
            b.append("\n  note: ").append(n);
        }
        return b.toString();
    }
}
