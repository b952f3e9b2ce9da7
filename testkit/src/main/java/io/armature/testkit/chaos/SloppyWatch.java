package io.armature.testkit.chaos;

import io.armature.testkit.sim.check.RunFacts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the stretches of a run in which a coordinator may have counted a stand-in toward W, from
 * polls of every node's count of stand-in copies sent ({@code armature.hints.sent}): outside them
 * every acknowledged write's W copies are on real replicas, so a strict quorum read must see it
 * (guarantee 5). A stretch runs from the start of the last poll that saw every count unchanged to
 * the end of the first poll that does again: a count that rose, a node that did not answer
 * (killed, paused) and a count that restarted all keep it open, and so do the time before the
 * first poll and after the last. Conservative by construction: a copy sent by any write marks
 * every write that overlapped it.
 */
final class SloppyWatch {
    private final List<RunFacts.Stretch> stretches = new ArrayList<>();
    private final Map<String, Double> last = new HashMap<>();
    private long previousStart = Long.MIN_VALUE;
    private long openFrom = Long.MIN_VALUE;
    private long openTo;
    private boolean open = true;

    /**
     * One poll of every node.
     *
     * @param start when the poll began (history time)
     * @param end when it ended
     * @param counts each node's count, or null for a node that did not answer
     */
    void poll(final long start, final long end, final Map<String, Double> counts) {
        boolean changed = false;
        for (final Map.Entry<String, Double> e : counts.entrySet()) {
            final Double before = e.getValue() == null ? null : last.put(e.getKey(), e.getValue());
            if (e.getValue() == null) {
                last.remove(e.getKey());
            }
            changed |= e.getValue() == null || !e.getValue().equals(before);
        }
        if (changed) {
            if (!open) {
                open = true;
                openFrom = previousStart;
            }
            openTo = end;
        } else if (open) {
            stretches.add(new RunFacts.Stretch(openFrom, openTo));
            open = false;
        }
        previousStart = start;
    }

    /** @return the stretches, the time after the last poll included */
    List<RunFacts.Stretch> finish() {
        final List<RunFacts.Stretch> out = new ArrayList<>(stretches);
        out.add(new RunFacts.Stretch(open ? openFrom : previousStart, Long.MAX_VALUE));
        return out;
    }
}
