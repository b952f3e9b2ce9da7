package io.armature.testkit.sim.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults of a simulated run, each healing by itself after its duration. Faults may overlap:
 * a later partition replaces an earlier one; crashing a node that is already down does nothing.
 * Immutable; jqwik generates and shrinks it (see {@link SimArbitraries}).
 *
 * @param faults the faults, in any order
 */
public record FaultSchedule(List<Fault> faults) {
    /** No faults at all. */
    public static final FaultSchedule NONE = new FaultSchedule(List.of());

    /**
     * Copies the list.
     *
     * @param faults faults
     */
    public FaultSchedule {
        faults = List.copyOf(faults);
    }

    /**
     * @return the virtual time, in milliseconds after the clients start, when the last fault heals
     */
    public int endMillis() {
        return faults.stream().mapToInt(f -> f.atMillis() + f.durationMillis()).max().orElse(0);
    }

    /**
     * @return true if some fault wipes a node's storage
     */
    public boolean wipes() {
        return faults.stream().anyMatch(f -> f.kind() == Fault.Kind.WIPE);
    }

    /**
     * @return true if some fault changes the membership (a join or a leave), moving partitions
     */
    public boolean moves() {
        return faults.stream().anyMatch(Fault::isMove);
    }

    /**
     * @return how many nodes join during the run
     */
    public int joins() {
        return (int) faults.stream().filter(f -> f.kind() == Fault.Kind.JOIN).count();
    }

    /**
     * @param nodes the cluster size
     * @return one sentence per fault, for people
     */
    public String describe(final int nodes) {
        final List<String> out = new ArrayList<>();
        faults.forEach(f -> out.add(f.describe(nodes)));
        return out.isEmpty() ? "no faults" : String.join("; ", out);
    }

    @Override
    public String toString() {
        final List<String> parts = new ArrayList<>();
        faults.forEach(f -> parts.add(f.toString()));
        return String.join(",", parts);
    }

    /**
     * @param text the form {@link #toString()} gives
     * @return the schedule
     */
    public static FaultSchedule parse(final String text) {
        final List<Fault> faults = new ArrayList<>();
        if (!text.isBlank()) {
            for (final String s : text.split(",")) {
                faults.add(Fault.parse(s));
            }
        }
        return new FaultSchedule(faults);
    }
}
