package io.armature.testkit.sim.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The client side of a simulated run: each client runs its steps in order, one at a time, each
 * after its think time. Immutable; jqwik generates and shrinks it (see {@link SimArbitraries}).
 *
 * @param steps every step, in order; the steps of one client run in this order
 */
public record OpSchedule(List<ClientStep> steps) {
    /**
     * Copies the list.
     *
     * @param steps steps
     */
    public OpSchedule {
        steps = List.copyOf(steps);
    }

    /**
     * @return the number of clients (highest client number plus one)
     */
    public int clients() {
        return steps.stream().mapToInt(ClientStep::client).max().orElse(-1) + 1;
    }

    /**
     * @param client a client number
     * @return that client's steps, in order
     */
    public List<ClientStep> stepsOf(final int client) {
        final List<ClientStep> out = new ArrayList<>();
        for (final ClientStep s : steps) {
            if (s.client() == client) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        final List<String> parts = new ArrayList<>();
        steps.forEach(s -> parts.add(s.toString()));
        return String.join(",", parts);
    }

    /**
     * @param text the form {@link #toString()} gives
     * @return the schedule
     */
    public static OpSchedule parse(final String text) {
        final List<ClientStep> steps = new ArrayList<>();
        if (!text.isBlank()) {
            for (final String s : text.split(",")) {
                steps.add(ClientStep.parse(s));
            }
        }
        return new OpSchedule(steps);
    }
}
