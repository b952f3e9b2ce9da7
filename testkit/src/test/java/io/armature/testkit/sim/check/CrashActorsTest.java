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
 * new actor per key: guarantee 6's bound on a clock's entries counts those actors too (found by
 * the chaos run: 3 nodes, a wipe and a SIGKILL made clocks of 5 entries, flagged against 4).
 */
class CrashActorsTest {
    private static Operation put(final int id, final String value, final Context used, final int from, final long at, final Context result) {
        return new Operation(id, "c1", "n1", "k", OpKind.PUT, value, used, from, 3, 2, 2, at, at + 1, Outcome.OK, List.of(value), result, null);
    }

    private static CheckReport run(final boolean crashed) {
        final History h = new History();
        final Context four = CheckerTest.ctx("n1/1:1", "n2/1:1", "n3/1:1", "n1/2:1");
        h.add(new Operation(0, "c1", "n1", "k", OpKind.GET, null, null, -1, 3, 2, 2, 10, 11, Outcome.OK, List.of(),
            CheckerTest.ctx("n1/1:1", "n2/1:1", "n3/1:1"), null));
        if (crashed) {
            h.fault(new FaultEvent(15, FaultEvent.CRASH, "n1", "SIGKILL"));
            h.fault(new FaultEvent(16, FaultEvent.RESTART, "n1", "same data"));
        }
        h.add(put(1, "v1", CheckerTest.ctx("n1/1:1", "n2/1:1", "n3/1:1"), 0, 20, four));
        final FinalState fin = new FinalState();
        for (final String n : List.of("n1", "n2", "n3")) {
            fin.put("k", n, new ReplicaState(List.of("v1"), 0, four, "v1"));
        }
        fin.owners("k", List.of("n1", "n2", "n3"));
        return Checker.check(h, fin, new RunFacts(3, false));
    }

    @Test
    void aClockMayHoldOneMoreActorPerCrashRestart() {
        final CheckReport afterCrash = run(true);
        assertFalse(afterCrash.violates(Guarantee.BOUNDED_SIBLINGS), afterCrash::toString);
        assertTrue(run(false).violates(Guarantee.BOUNDED_SIBLINGS), "without a crash, four actors of three nodes are too many");
    }
}
