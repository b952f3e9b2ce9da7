package io.armature.engine.versioning;

import io.armature.engine.versioning.Histories.Op;
import io.armature.engine.versioning.Histories.World;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sets holding anonymous values (dvvset {@code new_list(VV, Values)}: values with no dot over a
 * known causal history, e.g. a server-side reconcile). Their sync follows dvvset: they survive
 * unless the other side's clock strictly dominates theirs.
 */
class AnonymousValuesProperties {
    private static final int TRIES = 1000;

    @Provide
    Arbitrary<List<Op>> histories() {
        return Histories.histories();
    }

    @Provide
    Arbitrary<List<Integer>> anonymousIds() {
        return Arbitraries.integers().between(1000, 1005).list().ofMaxSize(3);
    }

    private static VersionSet withAnonymous(final World w, final int index, final List<Integer> ids) {
        final VersionSet base = w.snapshots.get(Math.floorMod(index, w.snapshots.size()));
        final Value[] values = ids.stream().map(id -> Histories.valueOf(id, false)).toArray(Value[]::new);
        return VersionSet.sync(base, VersionSet.anonymous(base.context(), values));
    }

    @Property(tries = TRIES)
    void syncWithAnonymousValuesIsCommutativeAndIdempotent(
        @ForAll("histories") final List<Op> ops, @ForAll final int i, @ForAll final int j,
        @ForAll("anonymousIds") final List<Integer> x, @ForAll("anonymousIds") final List<Integer> y) {
        final World w = World.run(ops);
        final VersionSet a = withAnonymous(w, i, x);
        final VersionSet b = withAnonymous(w, j, y);
        assertEquals(VersionSet.sync(a, b), VersionSet.sync(b, a));
        assertEquals(a, VersionSet.sync(a, VersionSet.decode(a.encode())));
        assertEquals(a, VersionSet.decode(a.encode()));
        assertEquals(VersionSet.sync(a, b).equals(a), a.descends(b));
    }

    /** Differential test against a literal port of dvvset.erl (no fast paths), anonymous values included. */
    @Property(tries = TRIES)
    void syncAndUpdateAgreeWithALiteralPortOfDvvset(
        @ForAll("histories") final List<Op> ops, @ForAll final int i, @ForAll final int j, @ForAll final int k,
        @ForAll("anonymousIds") final List<Integer> x, @ForAll("anonymousIds") final List<Integer> y) {
        final World w = World.run(ops);
        final VersionSet a = x.isEmpty() ? w.snapshots.get(Math.floorMod(i, w.snapshots.size())) : withAnonymous(w, i, x);
        final VersionSet b = y.isEmpty() ? w.snapshots.get(Math.floorMod(j, w.snapshots.size())) : withAnonymous(w, j, y);
        assertEquals(DvvsetModel.sync(DvvsetModel.of(a), DvvsetModel.of(b)), DvvsetModel.of(VersionSet.sync(a, b)));
        final VersionVector context = w.snapshots.get(Math.floorMod(k, w.snapshots.size())).context();
        final ActorId actor = w.actors[Math.floorMod(k, Histories.REPLICAS)];
        final Value value = Histories.valueOf(4242, false);
        assertEquals(DvvsetModel.update(context, value, actor, DvvsetModel.of(a)),
            DvvsetModel.of(a.update(context, value, actor)));
    }

    @Property(tries = TRIES)
    void anonymousValuesSurviveUntilAWriteWhoseContextStrictlyDominates(
        @ForAll("histories") final List<Op> ops, @ForAll final int i, @ForAll("anonymousIds") final List<Integer> x) {
        final World w = World.run(ops);
        final VersionSet a = withAnonymous(w, i, x);
        final ActorId actor = new ActorId("node-9", 1);
        final VersionSet blind = a.update(VersionVector.empty(), Histories.valueOf(1, false), actor);
        assertTrue(blind.values().containsAll(a.values()), "a blind write supersedes nothing");
        final VersionSet covered = a.update(blind.context(), Histories.valueOf(2, false), actor);
        assertEquals(List.of(Histories.valueOf(2, false)), covered.values());
    }
}
