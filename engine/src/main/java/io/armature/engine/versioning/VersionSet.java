package io.armature.engine.versioning;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The dotted version vector set (DVVSet) of one key: the stored record and the replicated unit.
 *
 * <p>Almeida, Baquero, Goncalves, Preguica, Fonte, "Scalable and Accurate Causality Tracking for
 * Eventually Consistent Stores" (DAIS 2014), in the form of Riak's {@code dvvset.erl}. Per actor
 * one entry {@code (actor, n, [v_n, v_n-1, ...])}: the actor's events 1..n are covered, and the
 * list holds the values of the newest dots that are still siblings, newest first; every dot of
 * the actor below {@code n - list length} is obsolete. So the clock has one entry per actor that
 * coordinated a write, never one per client. Anonymous values (values with no dot, as
 * {@code dvvset:new/2} makes them) are kept in a canonical sorted, duplicate-free order.
 *
 * <p>{@link #sync} is a semilattice join on every set that {@link #empty()}, {@link #update} and
 * {@link #sync} can build. Anonymous values follow dvvset: a side's anonymous values survive a
 * sync unless the other side's clock strictly dominates; having no dot, nothing can tell "seen
 * and superseded" from "not seen", so with anonymous values sync is commutative and idempotent
 * but not always associative (dvvset has the same limit). Nothing on the request path makes them.
 *
 * <p>Immutable; all arrays are shared between instances and never written after construction,
 * so {@link #sync} and {@link #update} reuse unchanged entries and allocate only what changed.
 */
public final class VersionSet {
    static final Value[] NO_VALUES = new Value[0];
    private static final ActorId[] NO_ACTORS = new ActorId[0];
    private static final VersionSet EMPTY = new VersionSet(NO_ACTORS, new long[0], new Value[0][], NO_VALUES);

    final ActorId[] actors;
    final long[] counters;
    final Value[][] lists;
    final Value[] anonymous;

    VersionSet(final ActorId[] actors, final long[] counters, final Value[][] lists, final Value[] anonymous) {
        this.actors = actors;
        this.counters = counters;
        this.lists = lists;
        this.anonymous = anonymous;
    }

    /**
     * @return the set of a key that was never written
     */
    public static VersionSet empty() {
        return EMPTY;
    }

    /**
     * dvvset's {@code new_list(VV, Values)}: values with no dot over the causal history
     * {@code clock}, e.g. a value reconciled by the server or imported from elsewhere.
     */
    static VersionSet anonymous(final VersionVector clock, final Value... values) {
        final int n = clock.size();
        final ActorId[] a = new ActorId[n];
        final long[] c = new long[n];
        final Value[][] l = new Value[n][];
        for (int i = 0; i < n; i++) {
            a[i] = clock.actorAt(i);
            c[i] = clock.counterAt(i);
            l[i] = NO_VALUES;
        }
        final Value[] sorted = values.clone();
        Arrays.sort(sorted, Value::compare);
        return new VersionSet(a, c, l, dedupSorted(sorted));
    }

    /**
     * The coordinator's write against this, its local set (dvvset {@code update/3}).
     *
     * @param context the context of the read the write is based on; empty for a blind write
     * @param value the new value, or a tombstone for a delete
     * @param actor the coordinator's actor id
     * @return the new local set: the value has dot (actor, max counter of actor here + 1); every
     *     version this set holds that {@code context} covers is discarded, everything else stays
     */
    public VersionSet update(final VersionVector context, final Value value, final ActorId actor) {
        final int cn = context.size();
        int n = 0;
        int i = 0;
        int j = 0;
        boolean contextHasMore = false;
        boolean localHasMore = false;
        boolean actorSeen = false;
        while (i < cn || j < actors.length) {
            final int cmp = i == cn ? 1 : j == actors.length ? -1 : context.actorAt(i).compareTo(actors[j]);
            final ActorId current = cmp <= 0 ? context.actorAt(i) : actors[j];
            actorSeen |= current.equals(actor);
            if (cmp < 0) {
                contextHasMore = true;
                i++;
            } else if (cmp > 0) {
                localHasMore = true;
                j++;
            } else {
                contextHasMore |= context.counterAt(i) > counters[j];
                localHasMore |= counters[j] > context.counterAt(i);
                i++;
                j++;
            }
            n++;
        }
        if (!actorSeen) {
            n++;
        }
        final ActorId[] a = new ActorId[n];
        final long[] c = new long[n];
        final Value[][] l = new Value[n][];
        boolean placed = false;
        int k = 0;
        i = 0;
        j = 0;
        while (i < cn || j < actors.length || !placed) {
            final ActorId next = i == cn ? (j == actors.length ? null : actors[j])
                : j == actors.length ? context.actorAt(i)
                : min(context.actorAt(i), actors[j]);
            if (!placed && !actorSeen && (next == null || actor.compareTo(next) < 0)) {
                a[k] = actor;
                c[k] = 1;
                l[k++] = new Value[] {value};
                placed = true;
                continue;
            }
            final boolean inContext = i < cn && context.actorAt(i).equals(next);
            final boolean inLocal = j < actors.length && actors[j].equals(next);
            long counter;
            Value[] list;
            if (inContext && inLocal) {
                final long nc = context.counterAt(i++);
                final long nl = counters[j];
                final Value[] ll = lists[j++];
                if (nc >= nl) {
                    counter = nc;
                    list = NO_VALUES;
                } else {
                    counter = nl;
                    list = nl - ll.length >= nc ? ll : Arrays.copyOf(ll, (int) (nl - nc));
                }
            } else if (inContext) {
                counter = context.counterAt(i++);
                list = NO_VALUES;
            } else {
                counter = counters[j];
                list = lists[j++];
            }
            if (next.equals(actor)) {
                if (counter == Long.MAX_VALUE) {
                    throw new IllegalStateException("version set: counter of " + actor + " is exhausted");
                }
                list = prepend(value, list);
                counter++;
                placed = true;
            }
            a[k] = next;
            c[k] = counter;
            l[k++] = list;
        }
        // dvvset: sync({Context, []}, Local) keeps the local anonymous values unless the
        // context strictly dominates the local clock.
        final boolean contextDominates = contextHasMore && !localHasMore;
        return new VersionSet(a, c, l, contextDominates ? NO_VALUES : anonymous);
    }

    /**
     * Merges two replicas' sets (dvvset {@code sync/2}): commutative, associative, idempotent.
     *
     * @return the set holding every version of either that the other does not make obsolete
     */
    public static VersionSet sync(final VersionSet a, final VersionSet b) {
        if (a == b) {
            return a;
        }
        int n = 0;
        boolean keepsA = true;
        boolean keepsB = true;
        boolean aHasMore = false;
        boolean bHasMore = false;
        int i = 0;
        int j = 0;
        while (i < a.actors.length || j < b.actors.length) {
            final int cmp = i == a.actors.length ? 1 : j == b.actors.length ? -1 : a.actors[i].compareTo(b.actors[j]);
            if (cmp < 0) {
                aHasMore = true;
                keepsB = false;
                i++;
            } else if (cmp > 0) {
                bHasMore = true;
                keepsA = false;
                j++;
            } else {
                final long na = a.counters[i];
                final long nb = b.counters[j];
                final long floorA = na - a.lists[i].length;
                final long floorB = nb - b.lists[j].length;
                aHasMore |= na > nb;
                bHasMore |= nb > na;
                keepsA &= na >= nb && floorA >= floorB;
                keepsB &= nb >= na && floorB >= floorA;
                i++;
                j++;
            }
            n++;
        }
        final Value[] anon = bHasMore && !aHasMore ? b.anonymous
            : aHasMore && !bHasMore ? a.anonymous
            : union(a.anonymous, b.anonymous);
        if (keepsA && (anon == a.anonymous || Arrays.equals(anon, a.anonymous))) {
            return a;
        }
        if (keepsB && (anon == b.anonymous || Arrays.equals(anon, b.anonymous))) {
            return b;
        }
        final ActorId[] ra = new ActorId[n];
        final long[] rc = new long[n];
        final Value[][] rl = new Value[n][];
        i = 0;
        j = 0;
        for (int k = 0; k < n; k++) {
            final int cmp = i == a.actors.length ? 1 : j == b.actors.length ? -1 : a.actors[i].compareTo(b.actors[j]);
            if (cmp < 0) {
                ra[k] = a.actors[i];
                rc[k] = a.counters[i];
                rl[k] = a.lists[i++];
            } else if (cmp > 0) {
                ra[k] = b.actors[j];
                rc[k] = b.counters[j];
                rl[k] = b.lists[j++];
            } else {
                ra[k] = a.actors[i];
                rc[k] = Math.max(a.counters[i], b.counters[j]);
                rl[k] = mergeList(a.counters[i], a.lists[i++], b.counters[j], b.lists[j++]);
            }
        }
        return new VersionSet(ra, rc, rl, anon);
    }

    /**
     * dvvset {@code merge/5}: the list of the side with the larger counter, cut at the higher of
     * the two floors (a dot below either side's floor is obsolete on that side, hence everywhere).
     */
    private static Value[] mergeList(final long na, final Value[] la, final long nb, final Value[] lb) {
        if (na >= nb) {
            return na - la.length >= nb - lb.length ? la : Arrays.copyOf(la, (int) (na - nb + lb.length));
        }
        return nb - lb.length >= na - la.length ? lb : Arrays.copyOf(lb, (int) (nb - na + la.length));
    }

    /**
     * @return true if this set's versions cover all of {@code other}'s, i.e.
     *     {@code sync(this, other)} equals this (a repair would change nothing)
     */
    public boolean descends(final VersionSet other) {
        boolean thisHasMore = false;
        int i = 0;
        for (int j = 0; j < other.actors.length; j++) {
            while (i < actors.length && actors[i].compareTo(other.actors[j]) < 0) {
                i++;
                thisHasMore = true;
            }
            if (i == actors.length || !actors[i].equals(other.actors[j])) {
                return false;
            }
            final long na = counters[i];
            final long nb = other.counters[j];
            if (na < nb || na - lists[i].length < nb - other.lists[j].length) {
                return false;
            }
            thisHasMore |= na > nb;
            i++;
        }
        thisHasMore |= i < actors.length;
        return thisHasMore || containsAll(anonymous, other.anonymous);
    }

    /**
     * @return the join of every version's clock: what a read returns as its context
     */
    public VersionVector context() {
        return actors.length == 0 ? VersionVector.empty() : new VersionVector(actors, counters);
    }

    /**
     * @return every sibling, tombstones included: anonymous values first, then by actor, newest first
     */
    public List<Value> values() {
        final Value[] out = new Value[siblingCount()];
        System.arraycopy(anonymous, 0, out, 0, anonymous.length);
        int k = anonymous.length;
        for (final Value[] list : lists) {
            System.arraycopy(list, 0, out, k, list.length);
            k += list.length;
        }
        return Collections.unmodifiableList(Arrays.asList(out));
    }

    /**
     * @return the siblings that are not tombstones, in the order of {@link #values()}
     */
    public List<Value> liveValues() {
        final List<Value> out = new ArrayList<>(siblingCount());
        for (final Value v : values()) {
            if (!v.tombstone()) {
                out.add(v);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * @return true if there is at least one sibling and every sibling is a tombstone (a delete
     *     that nothing concurrent survived)
     */
    public boolean isTombstoneOnly() {
        boolean any = false;
        for (final Value v : anonymous) {
            if (!v.tombstone()) {
                return false;
            }
            any = true;
        }
        for (final Value[] list : lists) {
            for (final Value v : list) {
                if (!v.tombstone()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * @return the number of siblings, tombstones included
     */
    public int siblingCount() {
        int count = anonymous.length;
        for (final Value[] list : lists) {
            count += list.length;
        }
        return count;
    }

    /**
     * @return the number of actors in the clock (bounded by the coordinators that wrote the key)
     */
    public int actorCount() {
        return actors.length;
    }

    /**
     * @return the canonical byte form (equal sets encode to equal bytes)
     */
    public byte[] encode() {
        return VersionSetCodec.encode(this);
    }

    /**
     * @param bytes a byte form made by {@link #encode()}
     * @return the set
     * @throws VersionCodecException if the bytes are not a canonical version set; never any
     *     other exception, and never an allocation larger than the input justifies
     */
    public static VersionSet decode(final byte[] bytes) {
        return VersionSetCodec.decode(bytes);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof VersionSet s && Arrays.equals(actors, s.actors) && Arrays.equals(counters, s.counters)
            && Arrays.deepEquals(lists, s.lists) && Arrays.equals(anonymous, s.anonymous);
    }

    @Override
    public int hashCode() {
        return ((Arrays.hashCode(actors) * 31 + Arrays.hashCode(counters)) * 31 + Arrays.deepHashCode(lists)) * 31
            + Arrays.hashCode(anonymous);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("VersionSet{");
        for (int i = 0; i < actors.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(actors[i]).append(':').append(counters[i])
                .append(Arrays.toString(lists[i]));
        }
        if (anonymous.length > 0) {
            sb.append(" anonymous=").append(Arrays.toString(anonymous));
        }
        return sb.append('}').toString();
    }

    private static ActorId min(final ActorId x, final ActorId y) {
        return x.compareTo(y) <= 0 ? x : y;
    }

    private static Value[] prepend(final Value value, final Value[] list) {
        final Value[] out = new Value[list.length + 1];
        out[0] = value;
        System.arraycopy(list, 0, out, 1, list.length);
        return out;
    }

    /** Union of two sorted duplicate-free arrays; returns an input when it already is the union. */
    private static Value[] union(final Value[] x, final Value[] y) {
        if (y.length == 0 || x == y || containsAll(x, y)) {
            return x;
        }
        if (x.length == 0 || containsAll(y, x)) {
            return y;
        }
        final Value[] out = new Value[x.length + y.length];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < x.length || j < y.length) {
            final int cmp = i == x.length ? 1 : j == y.length ? -1 : Value.compare(x[i], y[j]);
            if (cmp < 0) {
                out[k++] = x[i++];
            } else if (cmp > 0) {
                out[k++] = y[j++];
            } else {
                out[k++] = x[i++];
                j++;
            }
        }
        return k == out.length ? out : Arrays.copyOf(out, k);
    }

    /** Whether sorted duplicate-free {@code x} holds every element of sorted {@code y}. */
    private static boolean containsAll(final Value[] x, final Value[] y) {
        int i = 0;
        for (final Value v : y) {
            while (i < x.length && Value.compare(x[i], v) < 0) {
                i++;
            }
            if (i == x.length || Value.compare(x[i], v) != 0) {
                return false;
            }
            i++;
        }
        return true;
    }

    private static Value[] dedupSorted(final Value[] sorted) {
        int k = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (k == 0 || Value.compare(sorted[k - 1], sorted[i]) != 0) {
                sorted[k++] = sorted[i];
            }
        }
        return k == sorted.length ? sorted : Arrays.copyOf(sorted, k);
    }
}
