package io.armature.engine.versioning;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Realistic histories of one key: replicas coordinate writes as actors (node + incarnation),
 * clients read through one replica and write through another with the context of their read,
 * replicas sync, and a replica may lose its storage and come back with a new incarnation.
 *
 * <p>Next to the version sets, {@link World} keeps the causal truth: each write's causal past is
 * exactly the set of writes its client had seen, and each replica's knowledge is the union of
 * what reached it. The values a replica holds must be exactly the maximal writes of its knowledge.
 */
final class Histories {
    static final int REPLICAS = 3;
    static final int CLIENTS = 3;

    private Histories() {
    }

    sealed interface Op permits Put, Get, Sync, Wipe {
    }

    /** Client writes through a coordinator with its current context; may then keep the returned context. */
    record Put(int client, int replica, boolean tombstone, boolean returnBody) implements Op {
    }

    /** Client reads from a replica and keeps its context. */
    record Get(int client, int replica) implements Op {
    }

    /** Replica {@code to} takes {@code from}'s set (read repair or anti-entropy); both ways if {@code both}. */
    record Sync(int from, int to, boolean both) implements Op {
    }

    /** A replica loses its storage and restarts with a new incarnation. */
    record Wipe(int replica) implements Op {
    }

    static Arbitrary<Op> ops() {
        final Arbitrary<Integer> replica = Arbitraries.integers().between(0, REPLICAS - 1);
        final Arbitrary<Integer> client = Arbitraries.integers().between(0, CLIENTS - 1);
        final Arbitrary<Op> put = Combinators.combine(client, replica, Arbitraries.of(false, false, false, true),
            Arbitraries.of(true, false)).as(Put::new);
        final Arbitrary<Op> get = Combinators.combine(client, replica).as(Get::new);
        final Arbitrary<Op> sync = Combinators.combine(replica, replica, Arbitraries.of(true, false)).as(Sync::new);
        final Arbitrary<Op> wipe = replica.map(Wipe::new);
        return Arbitraries.frequencyOf(Tuple.of(6, put), Tuple.of(4, get), Tuple.of(4, sync), Tuple.of(1, wipe));
    }

    static Arbitrary<List<Op>> histories() {
        return ops().list().ofMinSize(0).ofMaxSize(40);
    }

    static Value valueOf(final int writeId, final boolean tombstone) {
        return tombstone ? Value.tombstone(writeId) : Value.of(ByteBuffer.allocate(4).putInt(writeId).array(), writeId);
    }

    static int writeIdOf(final Value v) {
        return (int) v.timestampMillis();
    }

    /** The replicated state plus the causal truth it must match. */
    static final class World {
        final VersionSet[] sets = new VersionSet[REPLICAS];
        final ActorId[] actors = new ActorId[REPLICAS];
        final List<Set<Integer>> knows = new ArrayList<>();
        final VersionVector[] clientContext = new VersionVector[CLIENTS];
        final List<Set<Integer>> clientKnows = new ArrayList<>();
        final Map<Integer, Set<Integer>> pastOf = new HashMap<>();
        final Set<ActorId> coordinators = new HashSet<>();
        /** Every set any replica held, in order: material for the algebraic laws. */
        final List<VersionSet> snapshots = new ArrayList<>();
        int nextWrite = 1;

        World() {
            for (int r = 0; r < REPLICAS; r++) {
                sets[r] = VersionSet.empty();
                actors[r] = new ActorId("node-" + r, 1);
                knows.add(new HashSet<>());
            }
            for (int c = 0; c < CLIENTS; c++) {
                clientContext[c] = VersionVector.empty();
                clientKnows.add(new HashSet<>());
            }
            snapshots.add(VersionSet.empty());
        }

        static World run(final List<Op> ops) {
            final World w = new World();
            for (final Op op : ops) {
                w.apply(op);
            }
            return w;
        }

        void apply(final Op op) {
            if (op instanceof Put p) {
                put(p.client(), p.replica(), p.tombstone(), p.returnBody());
            } else if (op instanceof Get g) {
                get(g.client(), g.replica());
            } else if (op instanceof Sync s) {
                final VersionSet merged = VersionSet.sync(sets[s.from()], sets[s.to()]);
                set(s.to(), merged);
                knows.get(s.to()).addAll(knows.get(s.from()));
                if (s.both()) {
                    set(s.from(), merged);
                    knows.get(s.from()).addAll(knows.get(s.to()));
                }
            } else if (op instanceof Wipe wipe) {
                final int r = wipe.replica();
                actors[r] = new ActorId(actors[r].node(), actors[r].incarnation() + 1);
                set(r, VersionSet.empty());
                knows.get(r).clear();
            }
        }

        int put(final int client, final int replica, final boolean tombstone, final boolean returnBody) {
            final int id = nextWrite++;
            pastOf.put(id, new HashSet<>(clientKnows.get(client)));
            coordinators.add(actors[replica]);
            set(replica, sets[replica].update(clientContext[client], valueOf(id, tombstone), actors[replica]));
            final Set<Integer> k = knows.get(replica);
            k.addAll(clientKnows.get(client));
            k.add(id);
            if (returnBody) {
                get(client, replica);
            }
            return id;
        }

        void get(final int client, final int replica) {
            clientContext[client] = sets[replica].context();
            clientKnows.set(client, new HashSet<>(knows.get(replica)));
        }

        void syncAll() {
            VersionSet all = VersionSet.empty();
            final Set<Integer> k = new HashSet<>();
            for (int r = 0; r < REPLICAS; r++) {
                all = VersionSet.sync(all, sets[r]);
                k.addAll(knows.get(r));
            }
            for (int r = 0; r < REPLICAS; r++) {
                set(r, all);
                knows.get(r).clear();
                knows.get(r).addAll(k);
            }
        }

        private void set(final int replica, final VersionSet s) {
            sets[replica] = s;
            snapshots.add(s);
        }

        /** The writes of {@code known} that no other known write has in its causal past. */
        Set<Integer> maximal(final Set<Integer> known) {
            final Set<Integer> out = new HashSet<>(known);
            for (final int w : known) {
                out.removeAll(pastOf.get(w));
            }
            return out;
        }

        static List<Integer> writeIds(final VersionSet s) {
            final List<Integer> ids = new ArrayList<>();
            for (final Value v : s.values()) {
                ids.add(writeIdOf(v));
            }
            return ids;
        }
    }
}
