package io.armature.engine.versioning;

import io.armature.engine.versioning.Histories.Op;
import io.armature.engine.versioning.Histories.World;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionSetProperties {
    private static final int TRIES = 1000;

    @Provide
    Arbitrary<List<Op>> histories() {
        return Histories.histories();
    }

    private static VersionSet pick(final World w, final int index) {
        return w.snapshots.get(Math.floorMod(index, w.snapshots.size()));
    }

    /** An equal set that is not the same instance, so no law passes by reference equality alone. */
    private static VersionSet copy(final VersionSet s) {
        return VersionSet.decode(s.encode());
    }

    @Property(tries = TRIES)
    void syncIsCommutative(@ForAll("histories") final List<Op> ops, @ForAll final int i, @ForAll final int j) {
        final World w = World.run(ops);
        final VersionSet a = pick(w, i);
        final VersionSet b = pick(w, j);
        assertEquals(VersionSet.sync(a, b), VersionSet.sync(b, a));
    }

    @Property(tries = TRIES)
    void syncIsAssociative(@ForAll("histories") final List<Op> ops, @ForAll final int i, @ForAll final int j,
                           @ForAll final int k) {
        final World w = World.run(ops);
        final VersionSet a = pick(w, i);
        final VersionSet b = pick(w, j);
        final VersionSet c = pick(w, k);
        assertEquals(VersionSet.sync(VersionSet.sync(a, b), c), VersionSet.sync(a, VersionSet.sync(b, c)));
    }

    @Property(tries = TRIES)
    void syncIsIdempotent(@ForAll("histories") final List<Op> ops, @ForAll final int i, @ForAll final int j) {
        final World w = World.run(ops);
        final VersionSet a = pick(w, i);
        assertEquals(a, VersionSet.sync(a, copy(a)));
        final VersionSet ab = VersionSet.sync(a, pick(w, j));
        assertEquals(ab, VersionSet.sync(copy(ab), a), "absorbing a set already merged changes nothing");
    }

    @Property(tries = TRIES)
    void descendsIsExactlyWhenSyncChangesNothing(@ForAll("histories") final List<Op> ops, @ForAll final int i,
                                                 @ForAll final int j) {
        final World w = World.run(ops);
        final VersionSet a = pick(w, i);
        final VersionSet b = pick(w, j);
        assertEquals(VersionSet.sync(a, b).equals(a), a.descends(b));
        assertTrue(VersionSet.sync(a, b).descends(b));
    }

    /**
     * After every step of every history each replica holds exactly the causally maximal writes it
     * knows of: an update supersedes what its context covered, keeps everything concurrent, and no
     * write is lost or comes back; siblings are never more than the truly concurrent writes, and
     * the clock never has more actors than coordinated writes.
     */
    @Property(tries = TRIES)
    void replicasHoldExactlyTheCausallyMaximalWrites(@ForAll("histories") final List<Op> ops) {
        final World w = new World();
        int maxSiblings = 0;
        for (final Op op : ops) {
            w.apply(op);
            checkTruth(w, op);
            for (final VersionSet s : w.sets) {
                maxSiblings = Math.max(maxSiblings, s.siblingCount());
            }
        }
        w.syncAll();
        checkTruth(w, "final sync");
        // The generator must produce real conflicts and several actors, or the checks above prove little.
        Statistics.label("siblings >= 2").collect(maxSiblings >= 2);
        Statistics.label("actors >= 3").collect(w.coordinators.size() >= 3);
        Statistics.label("siblings >= 2").coverage(c -> c.check(true).percentage(p -> p >= 30));
        Statistics.label("actors >= 3").coverage(c -> c.check(true).percentage(p -> p >= 30));
    }

    private static void checkTruth(final World w, final Object step) {
        for (int replica = 0; replica < Histories.REPLICAS; replica++) {
            final int r = replica;
            final List<Integer> held = World.writeIds(w.sets[r]);
            final Set<Integer> expected = w.maximal(w.knows.get(r));
            assertEquals(held.size(), new HashSet<>(held).size(), () -> "duplicate sibling after " + step);
            assertEquals(expected, new HashSet<>(held), () -> "replica " + r + " after " + step + ": " + w.sets[r]);
            assertTrue(w.sets[r].actorCount() <= w.coordinators.size(),
                () -> "clock of replica " + r + " has more actors than coordinators: " + w.sets[r]);
        }
    }

    /**
     * A client reads, other clients write concurrently through any coordinator, replicas sync,
     * then the client writes with its read's context: its write replaces exactly what it read,
     * and every concurrent write survives as a sibling.
     */
    @Property(tries = TRIES)
    void updateWithReadContextSupersedesExactlyTheReadValues(
        @ForAll("histories") final List<Op> before, @ForAll @IntRange(min = 0, max = 2) final int readFrom,
        @ForAll("interleavings") final List<Op> between, @ForAll @IntRange(min = 0, max = 2) final int writeVia) {
        final World w = World.run(before);
        final Set<Integer> existing = new HashSet<>();
        for (final VersionSet s : w.sets) {
            existing.addAll(World.writeIds(s));
        }
        w.get(0, readFrom);
        final Set<Integer> read = new HashSet<>(World.writeIds(w.sets[readFrom]));
        final List<Integer> concurrent = new ArrayList<>();
        for (final Op op : between) {
            if (op instanceof Histories.Put p) {
                // Clients 1 and 2 write with contexts from before client 0's read or blind.
                concurrent.add(w.put(1 + p.client() % 2, p.replica(), p.tombstone(), false));
            } else {
                w.apply(op);
            }
        }
        final int mine = w.put(0, writeVia, false, false);
        w.syncAll();
        final Set<Integer> held = new HashSet<>(World.writeIds(w.sets[0]));
        assertTrue(held.contains(mine));
        for (final int r : read) {
            assertFalse(held.contains(r), () -> "read value " + r + " survived a write with its context");
        }
        for (final int c : concurrent) {
            // Clients 1 and 2 keep their contexts from before the read, so all these writes are concurrent.
            assertTrue(held.contains(c), () -> "lost concurrent write " + c);
        }
        final Set<Integer> allowed = new HashSet<>(existing);
        allowed.removeAll(read);
        allowed.addAll(concurrent);
        allowed.add(mine);
        assertTrue(allowed.containsAll(held), () -> "siblings " + held + " beyond the unread and concurrent " + allowed);
        assertEquals(w.maximal(w.knows.get(0)), held);
    }

    @Provide
    Arbitrary<List<Op>> interleavings() {
        final Arbitrary<Op> put = Arbitraries.integers().between(0, 2).flatMap(r -> Arbitraries.integers().between(0, 1)
            .map(c -> (Op) new Histories.Put(c, r, false, false)));
        final Arbitrary<Op> sync = Arbitraries.integers().between(0, 2).flatMap(a -> Arbitraries.integers()
            .between(0, 2).map(b -> (Op) new Histories.Sync(a, b, true)));
        return Arbitraries.oneOf(put, sync).list().ofMaxSize(6);
    }

    /** Concurrent blind writes (no context covers another) all stay siblings, wherever coordinated. */
    @Property(tries = TRIES)
    void concurrentUpdatesStaySiblings(@ForAll("histories") final List<Op> before,
                                       @ForAll("coordinators") final List<Integer> via) {
        final World w = World.run(before);
        w.syncAll();
        for (int c = 0; c < Histories.CLIENTS; c++) {
            w.get(c, 0);
        }
        final Set<Integer> writes = new HashSet<>();
        for (int c = 0; c < via.size(); c++) {
            writes.add(w.put(c % Histories.CLIENTS, via.get(c), false, false));
        }
        w.syncAll();
        final List<Integer> held = World.writeIds(w.sets[0]);
        assertEquals(writes, new HashSet<>(held), "every concurrent write is a sibling, nothing older survives");
        assertEquals(writes.size(), held.size());
    }

    @Provide
    Arbitrary<List<Integer>> coordinators() {
        return Arbitraries.integers().between(0, Histories.REPLICAS - 1).list().ofMinSize(1).ofMaxSize(Histories.CLIENTS);
    }

    /** One client's chain of writes, each with the context its previous write returned, never conflicts with itself. */
    @Property(tries = TRIES)
    void sequentialUpdatesByOneClientThroughDifferentCoordinatorsNeverConflict(
        @ForAll("histories") final List<Op> before, @ForAll("coordinators") final List<Integer> via,
        @ForAll("interleavings") final List<Op> syncs) {
        final World w = World.run(before);
        w.get(0, via.get(0));
        int last = -1;
        for (int i = 0; i < via.size(); i++) {
            last = w.put(0, via.get(i), false, true);
            if (i < syncs.size() && syncs.get(i) instanceof Histories.Sync s) {
                w.apply(s);
            }
        }
        w.syncAll();
        final Set<Integer> held = new HashSet<>(World.writeIds(w.sets[0]));
        assertTrue(held.contains(last));
        for (final int id : held) {
            assertTrue(id == last || !w.pastOf.get(last).contains(id), () -> "false sibling " + id + " of " + held);
        }
        final Set<Integer> own = new HashSet<>(w.pastOf.get(last));
        own.retainAll(held);
        assertTrue(own.isEmpty(), () -> "earlier writes of the same client came back: " + own);
    }

    @Property(tries = TRIES)
    void encodeDecodeRoundTrips(@ForAll("histories") final List<Op> ops, @ForAll final int i) {
        final VersionSet s = pick(World.run(ops), i);
        final byte[] bytes = s.encode();
        assertEquals(VersionSetCodec.VERSION, bytes[0]);
        final VersionSet back = VersionSet.decode(bytes);
        assertEquals(s, back);
        assertEquals(s.hashCode(), back.hashCode());
        assertEquals(s.values(), back.values());
        assertEquals(s.context(), back.context());
    }

    @Property(tries = TRIES)
    void contextTokenRoundTrips(@ForAll("histories") final List<Op> ops, @ForAll final int i) {
        final VersionVector v = pick(World.run(ops), i).context();
        final io.armature.api.Context context = v.toContext();
        assertEquals(v.size(), context.size());
        assertEquals(v, VersionVector.fromContext(io.armature.api.Context.fromToken(context.toToken())));
        assertEquals(v, VersionVector.fromContext(io.armature.api.Context.fromBytes(context.toBytes())));
    }
}
