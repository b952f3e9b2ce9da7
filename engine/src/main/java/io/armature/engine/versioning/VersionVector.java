package io.armature.engine.versioning;

import io.armature.api.Context;
import io.armature.api.InvalidRequestException;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A version vector: for each actor, how many of its events are covered. Sorted by actor; an
 * absent actor has counter 0, and no entry ever holds 0 (so equal vectors have equal entries,
 * which keeps {@link #toContext()} canonical).
 */
public final class VersionVector {
    private static final VersionVector EMPTY = new VersionVector(new ActorId[0], new long[0]);

    private final ActorId[] actors;
    private final long[] counters;

    VersionVector(final ActorId[] actors, final long[] counters) {
        this.actors = actors;
        this.counters = counters;
    }

    /**
     * @return the vector that covers nothing (the context of a blind write)
     */
    public static VersionVector empty() {
        return EMPTY;
    }

    /**
     * @param entries actor to counter; counters of 0 are dropped, negative ones rejected
     * @return the vector
     */
    public static VersionVector of(final Map<ActorId, Long> entries) {
        final ActorId[] a = entries.keySet().toArray(new ActorId[0]);
        Arrays.sort(a);
        final long[] c = new long[a.length];
        int n = 0;
        for (final ActorId actor : a) {
            final long counter = entries.get(actor);
            if (counter < 0) {
                throw new IllegalArgumentException("version vector: negative counter " + counter + " for " + actor);
            }
            if (counter > 0) {
                a[n] = actor;
                c[n++] = counter;
            }
        }
        return n == 0 ? EMPTY : new VersionVector(Arrays.copyOf(a, n), Arrays.copyOf(c, n));
    }

    /**
     * @return the counter of {@code actor}, 0 if absent
     */
    public long get(final ActorId actor) {
        final int i = Arrays.binarySearch(actors, actor);
        return i >= 0 ? counters[i] : 0;
    }

    /**
     * @return the number of actors with a counter above 0
     */
    public int size() {
        return actors.length;
    }

    /**
     * @return true if it covers nothing
     */
    public boolean isEmpty() {
        return actors.length == 0;
    }

    /**
     * @return the entries in actor order, as a fresh map
     */
    public Map<ActorId, Long> toMap() {
        final Map<ActorId, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < actors.length; i++) {
            map.put(actors[i], counters[i]);
        }
        return map;
    }

    /**
     * @param i an index below {@link #size()}
     * @return the i-th actor, in actor order
     */
    public ActorId actorAt(final int i) {
        return actors[i];
    }

    /**
     * @param i an index below {@link #size()}
     * @return the i-th actor's counter
     */
    public long counterAt(final int i) {
        return counters[i];
    }

    /**
     * @return true if this vector covers every event {@code other} covers
     */
    public boolean descends(final VersionVector other) {
        int i = 0;
        for (int j = 0; j < other.actors.length; j++) {
            while (i < actors.length && actors[i].compareTo(other.actors[j]) < 0) {
                i++;
            }
            if (i == actors.length || !actors[i].equals(other.actors[j]) || counters[i] < other.counters[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the least vector that descends both (pointwise maximum)
     */
    public VersionVector merge(final VersionVector other) {
        if (descends(other)) {
            return this;
        }
        if (other.descends(this)) {
            return other;
        }
        final ActorId[] a = new ActorId[actors.length + other.actors.length];
        final long[] c = new long[a.length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < actors.length || j < other.actors.length) {
            final int cmp = i == actors.length ? 1 : j == other.actors.length ? -1 : actors[i].compareTo(other.actors[j]);
            if (cmp < 0) {
                a[n] = actors[i];
                c[n++] = counters[i++];
            } else if (cmp > 0) {
                a[n] = other.actors[j];
                c[n++] = other.counters[j++];
            } else {
                a[n] = actors[i];
                c[n++] = Math.max(counters[i++], other.counters[j++]);
            }
        }
        return new VersionVector(Arrays.copyOf(a, n), Arrays.copyOf(c, n));
    }

    /**
     * @return the opaque client context of this vector
     */
    public Context toContext() {
        if (actors.length == 0) {
            return Context.empty();
        }
        final byte[][] bytes = new byte[actors.length][];
        for (int i = 0; i < actors.length; i++) {
            bytes[i] = actors[i].toBytes();
        }
        return Context.ofEntries(bytes, counters.clone());
    }

    /**
     * @param context a context a client sent back
     * @return its vector
     * @throws InvalidRequestException if an actor of the context is not an {@link ActorId}'s byte form
     */
    public static VersionVector fromContext(final Context context) {
        if (context.isEmpty()) {
            return EMPTY;
        }
        final int size = context.size();
        final ActorId[] a = new ActorId[size];
        final long[] c = new long[size];
        final int[] n = {0};
        context.forEachEntry((actor, counter) -> {
            try {
                a[n[0]] = ActorId.fromBytes(actor, 0, actor.length);
            } catch (final IllegalArgumentException e) {
                throw new InvalidRequestException("context: entry " + n[0] + ": " + e.getMessage());
            }
            c[n[0]++] = counter;
        });
        // Context sorts by actor bytes and ActorId's order is that byte order: still sorted.
        return new VersionVector(a, c);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof VersionVector v && Arrays.equals(actors, v.actors) && Arrays.equals(counters, v.counters);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(actors) + Arrays.hashCode(counters);
    }

    @Override
    public String toString() {
        final StringBuilder sb = new StringBuilder("VV{");
        for (int i = 0; i < actors.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(actors[i]).append('=').append(counters[i]);
        }
        return sb.append('}').toString();
    }
}
