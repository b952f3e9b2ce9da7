package io.armature.testkit.sim.check;

import io.armature.api.Context;
import io.armature.testkit.sim.history.Contexts;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checker on hand-made histories: for each guarantee, a run that keeps it and one that breaks it.
 */
class CheckerTest {
    private static final List<String> OWNERS = List.of("n1", "n2", "n3");
    private final History h = new History();
    private final FinalState fin = new FinalState();
    private RunFacts facts = new RunFacts(3, false);

    static Context ctx(final String... entries) {
        final Map<String, Long> m = new TreeMap<>();
        for (final String e : entries) {
            final int colon = e.lastIndexOf(':');
            m.put(e.substring(0, colon), Long.parseLong(e.substring(colon + 1)));
        }
        return Contexts.of(m);
    }

    private int op(final OpKind kind, final String client, final String value, final Context used, final int from,
                   final long at, final Outcome outcome, final List<String> values, final Context result) {
        final int id = h.operations().size();
        h.add(new Operation(id, client, "n1", "k", kind, value, used, from, 3, 2, 2, at, at + 1, outcome,
            outcome == Outcome.OK ? values : List.of(), outcome == Outcome.OK ? result : null, null));
        return id;
    }

    private int put(final String client, final String value, final Context used, final int from, final long at, final Context result, final String... values) {
        return op(OpKind.PUT, client, value, used, from, at, Outcome.OK, Arrays.asList(values), result);
    }

    private int get(final String client, final long at, final Context result, final String... values) {
        return op(OpKind.GET, client, null, null, -1, at, Outcome.OK, Arrays.asList(values), result);
    }

    private void everywhere(final Context context, final int tombstones, final String... live) {
        for (final String n : OWNERS) {
            fin.put("k", n, new ReplicaState(List.of(live), tombstones, context, List.of(live) + Contexts.format(context)));
        }
        fin.owners("k", OWNERS);
    }

    private CheckReport check() {
        return Checker.check(h, fin, facts);
    }

    @Nested
    class Convergence {
        @Test
        void equalReplicasConverge() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            everywhere(ctx("n1/1:1"), 0, "v1");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void aReplicaThatDiffersOrLacksTheKeyIsReported() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            fin.owners("k", OWNERS);
            fin.put("k", "n1", new ReplicaState(List.of("v1"), 0, ctx("n1/1:1"), "a"));
            fin.put("k", "n2", new ReplicaState(List.of("v1"), 0, ctx("n1/1:1"), "a"));
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.CONVERGENCE), r::toString);
            assertTrue(r.toString().contains("n3=absent"), r::toString);
        }
    }

    @Nested
    class NoLostWrite {
        @Test
        void aWriteSupersededByAWriteThatSawItIsNotLost() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            put("c1", "v2", ctx("n1/1:1"), p1, 20, ctx("n1/1:2"), "v2");
            everywhere(ctx("n1/1:2"), 0, "v2");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void aWriteThatVanishesWithoutACoveringWriteIsLost() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            put("c2", "v2", Context.empty(), -1, 20, ctx("n2/1:1"), "v2");
            everywhere(ctx("n2/1:1"), 0, "v2");
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_LOST_WRITE), r::toString);
            assertEquals(List.of(0), r.violations().get(0).operations());
        }

        @Test
        void aWipedNodeThatReusesItsActorLosesWritesAfterTheWipe() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            h.fault(new FaultEvent(30, FaultEvent.WIPE, "n1", ""));
            put("c1", "v9", Context.empty(), -1, 40, ctx("n1/1:1"), "v9");
            put("c2", "v2", ctx("n1/1:1"), p1, 50, ctx("n1/1:1", "n2/1:1"), "v2");
            everywhere(ctx("n1/1:1", "n2/1:1"), 0, "v2");
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_LOST_WRITE), r::toString);
            assertTrue(r.violations().stream().allMatch(v -> v.operations().contains(1)), r::toString);
        }
    }

    /** The checker's own soundness: what the old checker let through (issue 12, item 4). */
    @Nested
    class Soundness {
        private void everywhereExcept(final String node, final Context context, final String... live) {
            for (final String n : OWNERS) {
                if (!n.equals(node)) {
                    fin.put("k", n, new ReplicaState(List.of(live), 0, context, List.of(live) + Contexts.format(context)));
                }
            }
            fin.owners("k", OWNERS);
        }

        @Test
        void aWipeOfANodeThatDoesNotReplicateTheKeyExemptsNothing() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            h.fault(new FaultEvent(30, FaultEvent.WIPE, "n4", ""));
            everywhere(Context.empty(), 0);
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_LOST_WRITE), r::toString);
        }

        @Test
        void fewerThanWWipedReplicasExemptNothing() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            h.fault(new FaultEvent(30, FaultEvent.WIPE, "n1", ""));
            h.fault(new FaultEvent(40, FaultEvent.WIPE, "n1", ""));
            everywhere(Context.empty(), 0);
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_LOST_WRITE), r::toString);
        }

        @Test
        void wWipedReplicasAfterTheWriteExemptIt() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            h.fault(new FaultEvent(30, FaultEvent.WIPE, "n1", ""));
            h.fault(new FaultEvent(40, FaultEvent.WIPE, "n2", ""));
            everywhereExcept("n3", Context.empty());
            fin.put("k", "n3", new ReplicaState(List.of(), 0, Context.empty(), List.of() + Contexts.format(Context.empty())));
            final CheckReport r = check();
            assertFalse(r.violates(Guarantee.NO_LOST_WRITE), r::toString);
        }

        @Test
        void aTimedOutWriteThatNeverLandedDoesNotExcuseALostOne() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            op(OpKind.PUT, "c1", "v2", ctx("n1/1:1"), p1, 20, Outcome.UNKNOWN, List.of(), null);
            everywhere(Context.empty(), 0);
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_LOST_WRITE), r::toString);
        }

        @Test
        void anExcusingWriteMustItselfSurviveOrBeCovered() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            final int p2 = put("c1", "v2", ctx("n1/1:1"), p1, 20, ctx("n1/1:2"), "v2");
            everywhere(Context.empty(), 0);
            final CheckReport r = check();
            assertTrue(r.violations().stream().anyMatch(v -> v.guarantee() == Guarantee.NO_LOST_WRITE
                && v.operations().equals(List.of(p1))), r::toString);
            assertTrue(r.violations().stream().anyMatch(v -> v.guarantee() == Guarantee.NO_LOST_WRITE
                && v.operations().equals(List.of(p2))), r::toString);
        }

        @Test
        void aChainOfCoveringWritesEndingInASurvivorExcusesAll() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            final int p2 = put("c1", "v2", ctx("n1/1:1"), p1, 20, ctx("n1/1:2"), "v2");
            put("c1", "v3", ctx("n1/1:2"), p2, 30, ctx("n1/1:3"), "v3");
            everywhere(ctx("n1/1:3"), 0, "v3");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void anAcknowledgedPutWithoutANewDotIsAViolation() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            put("c1", "v2", ctx("n1/1:1"), p1, 20, ctx("n1/1:1"), "v2");
            everywhere(ctx("n1/1:1"), 0, "v2");
            final CheckReport r = check();
            assertTrue(r.violations().stream().anyMatch(v -> v.guarantee() == Guarantee.NO_LOST_WRITE
                && v.message().contains("no new dot")), r::toString);
        }

        @Test
        void aFaultFreeRunMustCompleteEveryOperation() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            op(OpKind.GET, "c2", null, null, -1, 20, Outcome.UNKNOWN, List.of(), null);
            everywhere(ctx("n1/1:1"), 0, "v1");
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.LIVENESS), r::toString);
        }

        @Test
        void aRunWithFaultsMayTimeOut() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            h.fault(new FaultEvent(15, FaultEvent.CRASH, "n2", ""));
            op(OpKind.GET, "c2", null, null, -1, 20, Outcome.UNKNOWN, List.of(), null);
            everywhere(ctx("n1/1:1"), 0, "v1");
            final CheckReport r = check();
            assertTrue(r.ok(), r::toString);
        }
    }

    @Nested
    class NoSilentOverwrite {
        @Test
        void concurrentWritesSurviveAsSiblings() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            put("c2", "v2", Context.empty(), -1, 20, ctx("n1/1:1", "n2/1:1"), "v1", "v2");
            get("c3", 30, ctx("n1/1:1", "n2/1:1"), "v1", "v2");
            everywhere(ctx("n1/1:1", "n2/1:1"), 0, "v1", "v2");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void lastWriterWinsIsASilentOverwrite() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            put("c2", "v2", Context.empty(), -1, 20, ctx("n2/1:1"), "v2");
            get("c3", 30, ctx("n1/1:1", "n2/1:1"), "v2");
            everywhere(ctx("n1/1:1", "n2/1:1"), 0, "v2");
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_SILENT_OVERWRITE), r::toString);
            assertTrue(r.violations().stream().anyMatch(v -> v.guarantee() == Guarantee.NO_SILENT_OVERWRITE
                && v.operations().equals(List.of(0, 2))), r::toString);
        }
    }

    @Nested
    class NoFalseConflict {
        @Test
        void aWriteBasedOnAReadReplacesWhatItRead() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            final int g = get("c1", 20, ctx("n1/1:1"), "v1");
            put("c1", "v2", ctx("n1/1:1"), g, 30, ctx("n1/1:2"), "v2");
            get("c1", 40, ctx("n1/1:2"), "v2");
            everywhere(ctx("n1/1:2"), 0, "v2");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void theReadValueComingBackAsASiblingIsAFalseConflict() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            final int g = get("c1", 20, ctx("n1/1:1"), "v1");
            put("c1", "v2", ctx("n1/1:1"), g, 30, ctx("n1/1:1", "n2/1:1"), "v1", "v2");
            everywhere(ctx("n1/1:1", "n2/1:1"), 0, "v1", "v2");
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.NO_FALSE_CONFLICT), r::toString);
        }
    }

    @Nested
    class ReadYourWrites {
        @Test
        void aQuorumReadAfterAQuorumWriteSeesIt() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            get("c1", 20, ctx("n1/1:1"), "v1");
            everywhere(ctx("n1/1:1"), 0, "v1");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void aQuorumReadThatMissesTheClientsWriteIsReported() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            get("c1", 20, Context.empty());
            everywhere(ctx("n1/1:1"), 0, "v1");
            assertTrue(check().violates(Guarantee.READ_YOUR_WRITES), () -> check().toString());
        }

        @Test
        void afterSloppySubstitutionItIsNotPromised() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            get("c1", 20, Context.empty());
            everywhere(ctx("n1/1:1"), 0, "v1");
            facts = new RunFacts(3, true);
            final CheckReport r = check();
            assertTrue(r.ok(), r::toString);
            assertFalse(r.notes().isEmpty());
        }

        /** A run that knows when substitution may have happened (the chaos harness) checks its clean stretches. */
        @Test
        void aMissedWriteInAStretchWithoutSubstitutionIsReported() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            get("c1", 20, Context.empty());
            everywhere(ctx("n1/1:1"), 0, "v1");
            facts = new RunFacts(3, true, List.of(new RunFacts.Stretch(100, 200)));
            final CheckReport r = check();
            assertTrue(r.violates(Guarantee.READ_YOUR_WRITES), r::toString);
        }

        @Test
        void aWriteDuringASloppyStretchIsNotPromised() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            get("c1", 20, Context.empty());
            everywhere(ctx("n1/1:1"), 0, "v1");
            facts = new RunFacts(3, true, List.of(new RunFacts.Stretch(0, 10)));
            final CheckReport r = check();
            assertTrue(r.ok(), r::toString);
        }

        /** A wipe between a write and a read excuses that pair only: the writes after it are checked. */
        @Test
        void aWipeExcusesOnlyTheReadsAfterItOfWritesBeforeIt() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            h.fault(new FaultEvent(15, FaultEvent.WIPE, "n2", ""));
            get("c1", 20, Context.empty());
            put("c2", "v2", Context.empty(), -1, 30, ctx("n1/1:2"), "v1", "v2");
            final int missed = get("c2", 40, ctx("n1/1:1"), "v1");
            everywhere(ctx("n1/1:2"), 0, "v1", "v2");
            facts = new RunFacts(3, true, List.of());
            final CheckReport r = check();
            assertEquals(List.of(List.of(2, missed)), r.violations().stream()
                .filter(v -> v.guarantee() == Guarantee.READ_YOUR_WRITES).map(Violation::operations).toList(), r::toString);
        }
    }

    @Nested
    class BoundedSiblings {
        @Test
        void siblingsOfDistinctConcurrentWritesAreFine() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            put("c2", "v2", Context.empty(), -1, 20, ctx("n1/1:2"), "v1", "v2");
            everywhere(ctx("n1/1:2"), 0, "v1", "v2");
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void aDuplicatedSiblingOrAnOversizedClockIsReported() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1", "v1");
            get("c1", 20, ctx("n1/1:1", "n2/1:1", "n3/1:1", "c1/0:1"), "v1");
            everywhere(ctx("n1/1:1"), 0, "v1");
            final CheckReport r = check();
            assertEquals(2, r.violations().stream().filter(v -> v.guarantee() == Guarantee.BOUNDED_SIBLINGS).count(), r::toString);
        }

        /**
         * The 5-node chaos run: a node that never crashed minted a second epoch of one key (its
         * record was purged after a delete, kv679's "no local record" case), so the key's clock
         * held more entries than nodes + wipes + crashes. Every entry is an actor that coordinated
         * an acknowledged write of the key, which is the design's bound.
         */
        @Test
        void aSecondEpochMintedByAnAcknowledgedWriteIsAnActorThatCoordinated() {
            final int p1 = put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            op(OpKind.DELETE, "c1", null, ctx("n1/1:1"), p1, 20, Outcome.OK, List.of(), ctx("n1/1:2"));
            final int g = get("c2", 30, ctx("n1/1:2"));
            final Context four = ctx("n1/1:2", "n1/2:1", "n2/1:1", "n3/1:1");
            put("c2", "v2", ctx("n1/1:2"), g, 40, ctx("n1/1:2", "n1/2:1"), "v2");
            put("c3", "v3", Context.empty(), -1, 50, ctx("n1/1:2", "n1/2:1", "n2/1:1"), "v2", "v3");
            put("c1", "v4", Context.empty(), -1, 60, four, "v2", "v3", "v4");
            everywhere(four, 0, "v2", "v3", "v4");
            final CheckReport r = check();
            assertFalse(r.violates(Guarantee.BOUNDED_SIBLINGS), r::toString);
        }

        /** Still caught: a clock entry no write minted, beyond one per write whose outcome is not known. */
        @Test
        void clockEntriesThatNoWriteCouldHaveMintedAreReported() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            op(OpKind.PUT, "c2", "v2", Context.empty(), -1, 20, Outcome.UNKNOWN, List.of(), null);
            get("c1", 30, ctx("n1/1:1", "n2/7:1"), "v1", "v2");
            everywhere(ctx("n1/1:1", "n2/7:1", "n3/4:1"), 0, "v1", "v2");
            final CheckReport r = check();
            assertEquals(List.of("replica n1", "replica n2", "replica n3"), r.violations().stream()
                .filter(v -> v.guarantee() == Guarantee.BOUNDED_SIBLINGS).map(v -> v.message().split(" has ")[0]).toList(),
                r::toString);
        }
    }

    @Nested
    class NoResurrection {
        @Test
        void aDeletedValueStaysDeleted() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            final int g = get("c1", 20, ctx("n1/1:1"), "v1");
            op(OpKind.DELETE, "c1", null, ctx("n1/1:1"), g, 30, Outcome.OK, List.of(), ctx("n1/1:2"));
            everywhere(ctx("n1/1:2"), 1);
            assertTrue(check().ok(), () -> check().toString());
        }

        @Test
        void aDeletedValueLiveAfterConvergenceIsAResurrection() {
            put("c1", "v1", Context.empty(), -1, 10, ctx("n1/1:1"), "v1");
            final int g = get("c1", 20, ctx("n1/1:1"), "v1");
            op(OpKind.DELETE, "c1", null, ctx("n1/1:1"), g, 30, Outcome.OK, List.of(), ctx("n1/1:2"));
            everywhere(ctx("n1/1:1"), 0, "v1");
            assertTrue(check().violates(Guarantee.NO_RESURRECTION), () -> check().toString());
        }
    }
}
