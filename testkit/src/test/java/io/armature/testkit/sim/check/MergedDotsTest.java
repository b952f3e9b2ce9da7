package io.armature.testkit.sim.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Context;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A blind put's result context also holds the dots of the concurrent writes its coordinator had
 * merged, and those dots existed before the put was invoked, so they cannot be its own. Counting
 * them as its candidate dots let any later write that saw only the concurrent write excuse the
 * put's loss (issue 13 review: an acknowledged write lost, and the checker passed the run).
 */
class MergedDotsTest {
    private final History h = new History();

    private int op(final OpKind kind, final String client, final String value, final Context used, final int from,
                   final long at, final List<String> values, final Context result) {
        final int id = h.operations().size();
        h.add(new Operation(id, client, "n1", "k", kind, value, used, from, 3, 2, 2, at, at + 1, Outcome.OK, values, result, null));
        return id;
    }

    /**
     * v0 by n2; v1 blind by n1, which held v0 (result context n1:1 n2:1); c3 reads v0 alone
     * from a replica v1 had not reached yet, and replaces v0 with v2. v1 must stay a sibling.
     */
    private CheckReport run(final String... live) {
        op(OpKind.PUT, "c1", "v0", Context.empty(), -1, 10, List.of("v0"), CheckerTest.ctx("n2/1:1"));
        op(OpKind.PUT, "c2", "v1", Context.empty(), -1, 20, List.of("v0", "v1"), CheckerTest.ctx("n1/1:1", "n2/1:1"));
        final int read = op(OpKind.GET, "c3", null, null, -1, 25, List.of("v0"), CheckerTest.ctx("n2/1:1"));
        op(OpKind.PUT, "c3", "v2", CheckerTest.ctx("n2/1:1"), read, 30, List.of("v2"), CheckerTest.ctx("n2/1:2"));
        final Context end = CheckerTest.ctx("n1/1:1", "n2/1:2");
        final FinalState fin = new FinalState();
        for (final String n : List.of("n1", "n2", "n3")) {
            fin.put("k", n, new ReplicaState(List.of(live), 0, end, List.of(live) + "" + end));
        }
        fin.owners("k", List.of("n1", "n2", "n3"));
        return Checker.check(h, fin, new RunFacts(3, false));
    }

    @Test
    void aPutIsNotExcusedByAWriteThatSawOnlyAConcurrentWritesDot() {
        final CheckReport lost = run("v2");
        assertTrue(lost.violates(Guarantee.NO_LOST_WRITE), () -> "v1 is gone and nothing that saw it replaced it: " + lost);
    }

    @Test
    void theRunThatKeepsBothSiblingsPasses() {
        final CheckReport kept = run("v1", "v2");
        assertTrue(kept.ok(), kept::toString);
    }
}
