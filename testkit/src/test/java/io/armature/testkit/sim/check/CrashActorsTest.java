package io.armature.testkit.sim.check;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Context;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Since the kv679 fix a node that starts after a crash mints writes with a fresh actor epoch, a
 * new actor per key (found by the chaos run: 3 nodes, a wipe and a SIGKILL made clocks of 5
 * entries). Guarantee 6 admits that actor because a write coordinated by it minted it, not
 * because a crash happened: the same clock with no write behind its fourth entry is too many.
 */
class CrashActorsTest {
    private static Operation put(final int id, final String value, final Context used, final int from, final long at,
                                 final Outcome outcome, final Context result, final String... values) {
        return new Operation(id, "c1", "n1", "k", OpKind.PUT, value, used, from, 3, 2, 2, at, at + 1, outcome,
            outcome == Outcome.OK ? List.of(values) : List.of(), outcome == Outcome.OK ? result : null, null);
    }

    private static CheckReport run(final Outcome afterRestart) {
        final History h = new History();
        final Context three = CheckerTest.ctx("n1/1:1", "n2/1:1", "n3/1:1");
        final Context four = CheckerTest.ctx("n1/1:1", "n2/1:1", "n3/1:1", "n1/2:1");
        h.add(put(0, "v1", Context.empty(), -1, 10, Outcome.OK, CheckerTest.ctx("n1/1:1"), "v1"));
        h.add(put(1, "v2", CheckerTest.ctx("n1/1:1"), 0, 20, Outcome.OK, CheckerTest.ctx("n1/1:1", "n2/1:1"), "v2"));
        h.add(put(2, "v3", CheckerTest.ctx("n1/1:1", "n2/1:1"), 1, 30, Outcome.OK, three, "v3"));
        h.fault(new FaultEvent(35, FaultEvent.CRASH, "n1", "SIGKILL"));
        h.fault(new FaultEvent(36, FaultEvent.RESTART, "n1", "same data"));
        if (afterRestart != null) {
            h.add(put(3, "v4", three, 2, 40, afterRestart, four, "v4"));
        }
        final FinalState fin = new FinalState();
        for (final String n : List.of("n1", "n2", "n3")) {
            fin.put("k", n, new ReplicaState(List.of(afterRestart == null ? "v3" : "v4"), 0, four, "v4"));
        }
        fin.owners("k", List.of("n1", "n2", "n3"));
        return Checker.check(h, fin, new RunFacts(3, false));
    }

    @Test
    void aFreshEpochAfterACrashIsAdmittedThroughTheWriteThatMintedIt() {
        final CheckReport acked = run(Outcome.OK);
        assertFalse(acked.violates(Guarantee.BOUNDED_SIBLINGS), acked::toString);
        final CheckReport timedOut = run(Outcome.UNKNOWN);
        assertFalse(timedOut.violates(Guarantee.BOUNDED_SIBLINGS), timedOut::toString);
        final CheckReport none = run(null);
        assertTrue(none.violates(Guarantee.BOUNDED_SIBLINGS), "a crash alone mints no actor: " + none);
    }
}
