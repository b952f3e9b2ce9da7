package io.armature.testkit.sim.check;

import io.armature.api.Context;
import io.armature.testkit.sim.history.Contexts;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.history.Outcome;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks the design's guarantees 1-7 on a run's {@link History} and the replicas' final state.
 *
 * <h2>How writes are identified</h2>
 * Every put writes a unique value, so a sibling names its write. A write's dot is not visible to
 * clients, but it is one of the entries its result context holds above the context it used (the
 * coordinator's own counter went up); the checker calls those entries the write's candidate dots.
 * A context <em>possibly covers</em> a write if it covers one candidate, and <em>definitely</em>
 * if it covers all. Checks are built so that a correct engine never fails them: they use
 * "possibly" where that excuses, and "definitely" where that accuses.
 *
 * <h2>Permanent failures</h2>
 * A wiped node loses what it held. Dynamo promises a write survives as long as one of its W
 * copies does, so a write or delete is excused from guarantees 2, 3 and 7 only when at least W
 * distinct replicas of its key lost their storage after it was invoked (any node counts when the
 * run stored hints, since a stand-in may have held a copy). Read-your-writes is not checked in a
 * run with a wipe or with sloppy substitution, unless the run names the stretches in which a
 * stand-in may have been used ({@link RunFacts#sloppyStretches()}): then it is checked for every
 * write outside them, against reads with no wipe since the write. Writes after the wipes are checked in full, which
 * is what catches a wiped node that reuses its old actor (Riak's kv679).
 *
 * <h2>Excuses must hold up</h2>
 * A write that is gone is excused by a later write whose context covered it only if that write
 * itself survived, or is in turn covered by one that did: a timed-out write that never landed
 * excuses nothing. An acknowledged put whose result context holds no new dot cannot be told
 * apart from the writes it replaced, so it is a violation in itself.
 *
 * <h2>Liveness</h2>
 * In a run whose history records no fault, every operation must complete and be acknowledged:
 * otherwise an engine that times out everything would keep every other guarantee.
 *
 * <p>The checker reads a finished {@link History}: histories recorded by concurrent real clients
 * (with wall-clock times) are checked the same way, once their clients have stopped.
 */
public final class Checker {
    private History history;
    private FinalState state;
    private final Map<Integer, Map<String, Long>> candidates = new HashMap<>();
    private final Map<String, Operation> writerOf = new HashMap<>();
    private final Map<String, List<Operation>> byKey = new TreeMap<>();
    private final List<FaultEvent> wipes = new ArrayList<>();
    private final Map<Integer, Boolean> excused = new HashMap<>();
    private RunFacts facts;
    private final List<Violation> violations = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private Checker() {
    }

    /**
     * @param history the run's operations and faults
     * @param state every replica's records after healing and repair
     * @param facts the run's facts
     * @return every violation found
     */
    public static CheckReport check(final History history, final FinalState state, final RunFacts facts) {
        final Checker c = new Checker();
        c.history = history;
        c.state = state;
        c.facts = facts;
        c.index();
        c.liveness();
        c.undottedPuts();
        c.convergence();
        c.lostWritesAndSilentOverwrites();
        c.falseConflicts();
        c.readYourWrites(facts);
        c.boundedSiblings();
        c.resurrections();
        return new CheckReport(c.violations, c.notes);
    }

    private void index() {
        for (final Operation op : history.operations()) {
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            if (op.kind() == OpKind.PUT) {
                writerOf.put(op.value(), op);
            }
        }
        for (final FaultEvent f : history.faults()) {
            if (FaultEvent.WIPE.equals(f.kind()) || FaultEvent.LOST.equals(f.kind())) {
                wipes.add(f);
            }
        }
    }

    private Map<String, Long> dots(final Operation w) {
        return candidates.computeIfAbsent(w.id(), id -> {
            final Map<String, Long> out = new TreeMap<>();
            if (w.outcome() == Outcome.OK && w.resultContext() != null) {
                final Map<String, Long> used = Contexts.entries(w.contextUsed());
                Contexts.entries(w.resultContext()).forEach((a, c) -> {
                    if (c > used.getOrDefault(a, 0L)) {
                        out.put(a, c);
                    }
                });
                // The coordinator's result also carries the dots of concurrent writes it had
                // merged. A dot some result showed before w was invoked existed before w, so it is
                // not w's (dots are unique): left in, it let a write that saw only that concurrent
                // write "possibly cover" w and excuse w's loss.
                for (final Operation x : byKey.get(w.key())) {
                    if (x.outcome() == Outcome.OK && x.resultContext() != null && x.completedAt() >= 0
                        && x.completedAt() < w.invokedAt()) {
                        final Map<String, Long> earlier = Contexts.entries(x.resultContext());
                        out.entrySet().removeIf(e -> earlier.getOrDefault(e.getKey(), 0L) >= e.getValue());
                    }
                }
            }
            return out;
        });
    }

    private boolean possiblyCovers(final Map<String, Long> ctx, final Operation w) {
        final Map<String, Long> d = dots(w);
        if (d.isEmpty()) {
            return true;
        }
        return d.entrySet().stream().anyMatch(e -> ctx.getOrDefault(e.getKey(), 0L) >= e.getValue());
    }

    private boolean definitelyCovers(final Map<String, Long> ctx, final Operation w) {
        final Map<String, Long> d = dots(w);
        return !d.isEmpty() && Contexts.descends(ctx, d);
    }

    /**
     * True if W distinct replicas of the write's key lost storage after it was invoked: its W
     * copies may all be gone, so Dynamo no longer promises it. A node that replicated the key in
     * any ring of the run counts (its copies may have been the ones a move had not streamed yet).
     */
    private boolean wipedAfter(final Operation w) {
        if (wipes.isEmpty()) {
            return false;
        }
        final List<String> owners = state.everOwners(w.key());
        final Set<String> lost = new HashSet<>();
        for (final FaultEvent f : wipes) {
            if (f.time() >= w.invokedAt() && (owners == null || facts.sloppyQuorumUsed() || f.node() == null
                || owners.contains(f.node()))) {
                lost.add(String.valueOf(f.node()));
            }
        }
        return lost.size() >= Math.max(1, w.w());
    }

    /** True if a put's value was seen by some acknowledged result or is held by some replica: it landed. */
    private boolean landed(final Operation o) {
        if (o.outcome() == Outcome.OK || o.kind() != OpKind.PUT) {
            return o.mayHaveTakenEffect();
        }
        for (final Operation x : byKey.get(o.key())) {
            if (x.outcome() == Outcome.OK && x.resultValues().contains(o.value())) {
                return true;
            }
        }
        return state.replicas(o.key()).values().stream().anyMatch(r -> r.live().contains(o.value()));
    }

    /** Whether the write's context was read after w was invoked and possibly covers w. */
    private boolean sawAndCovered(final Operation o, final Operation w) {
        return o.id() != w.id() && o.isWrite() && o.contextFrom() >= 0
            && history.get(o.contextFrom()).completedAt() >= w.invokedAt()
            && possiblyCovers(Contexts.entries(o.contextUsed()), w);
    }

    /** A write that landed, invoked before {@code before}, whose context possibly covers w. */
    private Operation coveringWrite(final Operation w, final long before) {
        for (final Operation o : byKey.get(w.key())) {
            if (o.invokedAt() <= before && sawAndCovered(o, w) && landed(o)) {
                return o;
            }
        }
        return null;
    }

    /**
     * True if w's absence after convergence is explained: it is live, excused by wipes, or a
     * write whose context covered it is itself excused (so the chain ends in a survivor).
     */
    private boolean excused(final Operation w) {
        final Boolean known = excused.get(w.id());
        if (known != null) {
            return known;
        }
        excused.put(w.id(), false);
        boolean ok = wipedAfter(w) || survives(w);
        for (final Operation o : byKey.get(w.key())) {
            if (ok) {
                break;
            }
            ok = sawAndCovered(o, w) && o.mayHaveTakenEffect() && excused(o);
        }
        excused.put(w.id(), ok);
        return ok;
    }

    /**
     * A put survives if its value is live. A delete cannot be seen once its tombstone is purged:
     * an acknowledged one is trusted here (its loss shows as a resurrection), an unacknowledged
     * one only if some replica keeps a tombstone or no replica keeps the key at all.
     */
    private boolean survives(final Operation o) {
        if (o.kind() == OpKind.PUT) {
            return liveAfterConvergence(o.key()).contains(o.value());
        }
        if (o.outcome() == Outcome.OK) {
            return true;
        }
        final Map<String, ReplicaState> rs = replicasOf(o.key());
        return rs.isEmpty() || rs.values().stream().anyMatch(r -> r.tombstones() > 0);
    }

    private void liveness() {
        if (!history.faults().isEmpty()) {
            return;
        }
        for (final Operation op : history.operations()) {
            if (op.outcome() != Outcome.OK) {
                violation(Guarantee.LIVENESS, op.key(), "no fault happened, yet #" + op.id() + " ended " + op.outcome()
                    + (op.error() == null ? "" : " (" + op.error() + ")"), op.id());
            }
        }
    }

    private void undottedPuts() {
        for (final Operation w : history.operations()) {
            if (w.kind() == OpKind.PUT && w.outcome() == Outcome.OK && dots(w).isEmpty()) {
                violation(Guarantee.NO_LOST_WRITE, w.key(), "acknowledged " + w.value() + " has no new dot: result context "
                    + Contexts.format(w.resultContext()) + " adds nothing to " + Contexts.format(w.contextUsed())
                    + ", so it cannot be told from the writes it replaced", w.id());
            }
        }
    }

    private Map<String, ReplicaState> replicasOf(final String key) {
        final Map<String, ReplicaState> all = state.replicas(key);
        final List<String> owners = state.owners(key);
        if (owners == null) {
            return all;
        }
        final Map<String, ReplicaState> m = new LinkedHashMap<>();
        for (final String o : owners) {
            if (all.containsKey(o)) {
                m.put(o, all.get(o));
            }
        }
        return m;
    }

    private Set<String> liveAfterConvergence(final String key) {
        final Set<String> s = new HashSet<>();
        replicasOf(key).values().forEach(r -> s.addAll(r.live()));
        return s;
    }

    private void violation(final Guarantee g, final String key, final String message, final Integer... ops) {
        violations.add(new Violation(g, key, message, List.of(ops)));
    }

    private void convergence() {
        for (final String key : state.keys()) {
            final Map<String, ReplicaState> all = state.replicas(key);
            final List<String> owners = state.owners(key) == null ? new ArrayList<>(all.keySet()) : state.owners(key);
            final Map<String, Object> seen = new TreeMap<>();
            Object first = null;
            boolean differ = false;
            for (final String node : owners) {
                final ReplicaState r = all.get(node);
                seen.put(node, r == null ? "absent" : r);
                final Object canon = r == null ? "absent" : r.canonical();
                if (first == null) {
                    first = canon;
                } else if (!first.equals(canon)) {
                    differ = true;
                }
            }
            if (differ) {
                violation(Guarantee.CONVERGENCE, key, "replicas differ after repair: " + seen);
            }
        }
    }

    private void lostWritesAndSilentOverwrites() {
        for (final List<Operation> ops : byKey.values()) {
            for (final Operation w : ops) {
                if (w.kind() != OpKind.PUT || w.outcome() != Outcome.OK || dots(w).isEmpty()) {
                    continue;
                }
                final Set<String> live = liveAfterConvergence(w.key());
                if (!excused(w)) {
                    violation(Guarantee.NO_LOST_WRITE, w.key(), "acknowledged " + w.value() + " (dot " + dots(w)
                        + ") is gone and no write covered it; replicas: " + replicasOf(w.key()), w.id());
                    for (final Operation w2 : ops) {
                        if (w2.kind() == OpKind.PUT && w2.outcome() == Outcome.OK && live.contains(w2.value())
                            && !possiblyCovers(Contexts.entries(w2.contextUsed()), w)
                            && !possiblyCovers(Contexts.entries(w.contextUsed()), w2)) {
                            violation(Guarantee.NO_SILENT_OVERWRITE, w.key(), "concurrent " + w2.value()
                                + " survived but " + w.value() + " did not", w.id(), w2.id());
                        }
                    }
                }
            }
            for (final Operation x : ops) {
                if (x.outcome() != Outcome.OK) {
                    continue;
                }
                final Map<String, Long> ctx = Contexts.entries(x.resultContext());
                for (final Operation w : ops) {
                    if (w.kind() == OpKind.PUT && w.outcome() == Outcome.OK && w.completedAt() < x.invokedAt()
                        && !wipedAfter(w) && definitelyCovers(ctx, w)
                        && !x.resultValues().contains(w.value()) && coveringWrite(w, x.completedAt()) == null) {
                        violation(Guarantee.NO_SILENT_OVERWRITE, w.key(), "result of #" + x.id() + " covers " + w.value()
                            + " (dot " + dots(w) + ") but does not hold it, and no write covered it: values "
                            + x.resultValues() + " ctx " + Contexts.format(x.resultContext()), w.id(), x.id());
                    }
                }
            }
        }
    }

    private void falseConflicts() {
        for (final List<Operation> ops : byKey.values()) {
            for (final Operation w : ops) {
                if (w.kind() != OpKind.PUT || w.contextFrom() < 0 || history.get(w.contextFrom()).outcome() != Outcome.OK) {
                    continue;
                }
                final List<String> superseded = history.get(w.contextFrom()).resultValues();
                if (superseded.isEmpty()) {
                    continue;
                }
                for (final Operation x : ops) {
                    if (x.outcome() == Outcome.OK && x.resultValues().contains(w.value())) {
                        for (final String old : superseded) {
                            if (x.resultValues().contains(old)) {
                                violation(Guarantee.NO_FALSE_CONFLICT, w.key(), x.client() + " saw " + old + " as a sibling of "
                                    + w.value() + " whose context (from #" + w.contextFrom() + ") covered it: values "
                                    + x.resultValues(), w.id(), x.id());
                            }
                        }
                    }
                }
                replicasOf(w.key()).forEach((node, r) -> {
                    if (r.live().contains(w.value())) {
                        for (final String old : superseded) {
                            if (r.live().contains(old)) {
                                violation(Guarantee.NO_FALSE_CONFLICT, w.key(), "replica " + node + " keeps " + old
                                    + " as a sibling of " + w.value() + " whose context covered it: " + r, w.id());
                            }
                        }
                    }
                });
            }
        }
    }

    private void readYourWrites(final RunFacts facts) {
        final List<RunFacts.Stretch> sloppy = facts.sloppyStretches();
        if (sloppy == null && (facts.sloppyQuorumUsed() || !wipes.isEmpty())) {
            notes.add("read-your-writes not checked: " + (wipes.isEmpty() ? "sloppy quorum substitution happened" : "a node was wiped"));
            return;
        }
        int checked = 0;
        for (final List<Operation> ops : byKey.values()) {
            for (final Operation w : ops) {
                if (w.kind() != OpKind.PUT || w.outcome() != Outcome.OK
                    || sloppy != null && sloppy.stream().anyMatch(s -> s.meets(w.invokedAt(), w.completedAt()))) {
                    continue;
                }
                checked++;
                for (final Operation x : ops) {
                    if (x.kind() == OpKind.GET && x.outcome() == Outcome.OK && x.client().equals(w.client())
                        && x.invokedAt() > w.completedAt() && x.r() + w.w() > w.n() && !wipedBetween(w, x)
                        && !possiblyCovers(Contexts.entries(x.resultContext()), w)) {
                        violation(Guarantee.READ_YOUR_WRITES, w.key(), x.client() + " read " + x.resultValues() + " "
                            + Contexts.format(x.resultContext()) + " (r=" + x.r() + ") after its own " + w.value()
                            + " (w=" + w.w() + ", dot " + dots(w) + ") was acknowledged", w.id(), x.id());
                    }
                }
            }
        }
        if (sloppy != null) {
            notes.add("read-your-writes checked for " + checked + " acknowledged puts outside " + sloppy.size()
                + " stretches that may have had sloppy substitution");
        }
    }

    /** True if some node lost storage between a write's invocation and a read's completion: one of its copies may be gone. */
    private boolean wipedBetween(final Operation w, final Operation x) {
        return wipes.stream().anyMatch(f -> f.time() >= w.invokedAt() && f.time() <= x.completedAt());
    }

    private void boundedSiblings() {
        for (final List<Operation> ops : byKey.values()) {
            final ClockBound bound = clockBound(ops);
            for (final Operation x : ops) {
                if (x.outcome() == Outcome.OK) {
                    siblings(x.key(), "result of #" + x.id(), x.resultValues(), x.resultContext(), bound, x.id());
                }
            }
        }
        for (final String key : state.keys()) {
            final ClockBound bound = clockBound(byKey.getOrDefault(key, List.of()));
            replicasOf(key).forEach((node, r) -> siblings(key, "replica " + node, r.live(), r.context(), bound, -1));
        }
    }

    /**
     * The design's bound: a clock holds only actors (node epochs) that coordinated writes of the
     * key. An acknowledged write's actor is among its candidate dots; any other write (failed,
     * timed out, or acknowledged without a visible dot) may have minted one actor nobody saw.
     * Crashes, wipes and purges make a coordinator mint a fresh epoch (kv679), but only through a
     * write, so they need no count of their own.
     */
    private ClockBound clockBound(final List<Operation> ops) {
        final Set<String> minted = new HashSet<>();
        int unseen = 0;
        for (final Operation w : ops) {
            if (w.isWrite()) {
                final Map<String, Long> d = dots(w);
                minted.addAll(d.keySet());
                unseen += d.isEmpty() ? 1 : 0;
            }
        }
        return new ClockBound(minted, unseen);
    }

    /** The actors a key's acknowledged writes minted, and how many more its other writes may have. */
    private record ClockBound(Set<String> minted, int unseen) {
    }

    private void siblings(final String key, final String where, final List<String> values, final Context clock,
                          final ClockBound bound, final int opId) {
        final Integer[] ids = opId < 0 ? new Integer[0] : new Integer[] {opId};
        if (new HashSet<>(values).size() != values.size()) {
            violation(Guarantee.BOUNDED_SIBLINGS, key, where + " holds one write's value twice: " + values, ids);
        }
        final Set<String> strangers = new TreeSet<>(Contexts.entries(clock).keySet());
        strangers.removeAll(bound.minted());
        if (strangers.size() > bound.unseen()) {
            violation(Guarantee.BOUNDED_SIBLINGS, key, where + " has a clock of " + clock.size() + " entries, of which "
                + strangers + " no acknowledged write of the key minted, more than its " + bound.unseen()
                + " other writes could have", ids);
        }
        for (final String v1 : values) {
            final Operation w1 = writerOf.get(v1);
            if (w1 == null || !w1.key().equals(key)) {
                violation(Guarantee.BOUNDED_SIBLINGS, key, where + " holds " + v1 + ", which no put of this key wrote", ids);
                continue;
            }
            for (final String v2 : values) {
                final Operation w2 = writerOf.get(v2);
                if (w2 != null && w2 != w1 && w2.contextFrom() >= 0
                    && !history.get(w2.contextFrom()).resultValues().contains(v1)
                    && definitelyCovers(Contexts.entries(w2.contextUsed()), w1)) {
                    violation(Guarantee.BOUNDED_SIBLINGS, key, where + " keeps " + v1 + " as a sibling of " + v2
                        + " whose context covered it", w1.id(), w2.id());
                }
            }
        }
    }

    private void resurrections() {
        for (final List<Operation> ops : byKey.values()) {
            final Set<String> reported = new HashSet<>();
            for (final Operation d : ops) {
                if (d.kind() != OpKind.DELETE || d.outcome() != Outcome.OK || d.contextFrom() < 0 || wipedAfter(d)) {
                    continue;
                }
                final Set<String> live = liveAfterConvergence(d.key());
                for (final String v : history.get(d.contextFrom()).resultValues()) {
                    if (live.contains(v) && reported.add(v)) {
                        violation(Guarantee.NO_RESURRECTION, d.key(), v + " was deleted by #" + d.id() + " but is live after "
                            + "convergence: " + replicasOf(d.key()), d.id(), writerOf.get(v).id());
                    }
                }
            }
            // A put an acknowledged result showed superseded (its context covers the put, its values
            // lack it) never comes back in a correct engine, whatever superseded it: a delete that
            // timed out but landed is as final as an acknowledged one, and it is the common case
            // under faults, which the loop above does not check.
            final Set<String> liveNow = ops.isEmpty() ? Set.of() : liveAfterConvergence(ops.get(0).key());
            for (final Operation x : ops) {
                if (liveNow.isEmpty() || x.outcome() != Outcome.OK || x.resultContext() == null) {
                    continue;
                }
                final Map<String, Long> ctx = Contexts.entries(x.resultContext());
                for (final Operation w : ops) {
                    if (w.kind() == OpKind.PUT && w.outcome() == Outcome.OK && !x.resultValues().contains(w.value())
                        && liveNow.contains(w.value()) && !wipedAfter(w)
                        && definitelyCovers(ctx, w) && reported.add(w.value())) {
                        violation(Guarantee.NO_RESURRECTION, w.key(), w.value() + " was superseded in the result of #" + x.id()
                            + " (" + Contexts.format(x.resultContext()) + ") but is live after convergence: "
                            + replicasOf(w.key()), w.id(), x.id());
                    }
                }
            }
        }
    }
}
