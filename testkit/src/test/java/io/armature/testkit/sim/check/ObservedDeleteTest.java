package io.armature.testkit.sim.check;

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
 * Guarantee 7 for a delete that timed out but landed: an acknowledged read saw the value
 * superseded (its context covers the put, its values lack it), so the value must never be live
 * again. The checker checked resurrections only for acknowledged deletes, so a value that came
 * back after such a delete (the purge resurrections of issue 13, case 3) passed.
 */
class ObservedDeleteTest {
    private final History h = new History();

    private int op(final OpKind kind, final String value, final Context used, final int from, final long at,
                   final Outcome outcome, final List<String> values, final Context result) {
        final int id = h.operations().size();
        h.add(new Operation(id, "c1", "n1", "k", kind, value, used, from, 3, 2, 2, at, at + 1, outcome,
            outcome == Outcome.OK ? values : List.of(), outcome == Outcome.OK ? result : null, null));
        return id;
    }

    private CheckReport run(final boolean valueBack) {
        return run(valueBack, null);
    }

    private CheckReport run(final boolean valueBack, final String wipedAfterTheRead) {
        op(OpKind.PUT, "v1", Context.empty(), -1, 10, Outcome.OK, List.of("v1"), CheckerTest.ctx("n1/1:1"));
        final int read = op(OpKind.GET, null, null, -1, 20, Outcome.OK, List.of("v1"), CheckerTest.ctx("n1/1:1"));
        // A partition cut the delete's answer: it timed out, yet it reached the replicas.
        h.fault(new FaultEvent(31, "partition", "n1", "cut off"));
        op(OpKind.DELETE, null, CheckerTest.ctx("n1/1:1"), read, 30, Outcome.UNKNOWN, List.of(), null);
        op(OpKind.GET, null, null, -1, 40, Outcome.OK, List.of(), CheckerTest.ctx("n1/1:2"));
        if (wipedAfterTheRead != null) {
            h.fault(new FaultEvent(45, FaultEvent.WIPE, wipedAfterTheRead, ""));
        }
        final FinalState fin = new FinalState();
        for (final String n : List.of("n1", "n2", "n3")) {
            fin.put("k", n, valueBack
                ? new ReplicaState(List.of("v1"), 0, CheckerTest.ctx("n1/1:1"), "v1")
                : new ReplicaState(List.of(), 1, CheckerTest.ctx("n1/1:2"), "tombstone"));
        }
        fin.owners("k", List.of("n1", "n2", "n3"));
        return Checker.check(h, fin, new RunFacts(3, false));
    }

    @Test
    void aValueAReadSawDeletedMustNotComeBack() {
        final CheckReport back = run(true);
        assertTrue(back.violates(Guarantee.NO_RESURRECTION), () -> "v1 was seen deleted and is live again: " + back);
    }

    /**
     * The delete was never acknowledged: the read proves its tombstone on one replica only (R
     * answers merged), so a wipe of one replica of the key after the read may have taken the only
     * copy, and the value's return is what Dynamo allows (found by the soak, seed -166988: R=1, W=3,
     * the delete's coordinator held the only tombstone and was wiped).
     */
    @Test
    void oneWipedReplicaAfterTheReadExemptsAnUnacknowledgedDelete() {
        final CheckReport back = run(true, "n2");
        assertTrue(!back.violates(Guarantee.NO_RESURRECTION), back::toString);
    }

    @Test
    void aWipedNodeThatDoesNotReplicateTheKeyExemptsNothing() {
        final CheckReport back = run(true, "n4");
        assertTrue(back.violates(Guarantee.NO_RESURRECTION), back::toString);
    }

    @Test
    void theRunThatKeepsTheTombstonePasses() {
        final CheckReport kept = run(false);
        assertTrue(kept.ok(), kept::toString);
    }
}
