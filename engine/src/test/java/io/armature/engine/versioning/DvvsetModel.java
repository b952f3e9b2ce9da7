package io.armature.engine.versioning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A literal, unoptimised port of dvvset.erl's sync/2 and update/3 over sorted maps and lists,
 * with no fast paths: the oracle for differential tests of {@link VersionSet}.
 */
final class DvvsetModel {
    record Entry(long n, List<Value> values) {
    }

    final TreeMap<ActorId, Entry> entries = new TreeMap<>();
    final TreeSet<Value> anonymous = new TreeSet<>(Value::compare);

    static DvvsetModel of(final VersionSet s) {
        final DvvsetModel m = new DvvsetModel();
        for (int i = 0; i < s.actors.length; i++) {
            m.entries.put(s.actors[i], new Entry(s.counters[i], List.of(s.lists[i])));
        }
        m.anonymous.addAll(List.of(s.anonymous));
        return m;
    }

    static DvvsetModel sync(final DvvsetModel a, final DvvsetModel b) {
        final DvvsetModel out = new DvvsetModel();
        if (less(a, b)) {
            out.anonymous.addAll(b.anonymous);
        } else if (less(b, a)) {
            out.anonymous.addAll(a.anonymous);
        } else {
            out.anonymous.addAll(a.anonymous);
            out.anonymous.addAll(b.anonymous);
        }
        out.entries.putAll(a.entries);
        for (final Map.Entry<ActorId, Entry> e : b.entries.entrySet()) {
            out.entries.merge(e.getKey(), e.getValue(), DvvsetModel::merge);
        }
        return out;
    }

    /** dvvset update/3: sync({Context, []}, Local), then event(actor, value). */
    static DvvsetModel update(final VersionVector context, final Value value, final ActorId actor, final DvvsetModel local) {
        final DvvsetModel client = new DvvsetModel();
        context.toMap().forEach((a, n) -> client.entries.put(a, new Entry(n, List.of())));
        final DvvsetModel synced = sync(client, local);
        if (less(local, client)) {
            synced.anonymous.clear();
        } else {
            synced.anonymous.clear();
            synced.anonymous.addAll(local.anonymous);
        }
        final Entry e = synced.entries.getOrDefault(actor, new Entry(0, List.of()));
        final List<Value> values = new ArrayList<>();
        values.add(value);
        values.addAll(e.values());
        synced.entries.put(actor, new Entry(e.n() + 1, values));
        return synced;
    }

    private static Entry merge(final Entry x, final Entry y) {
        if (x.n() >= y.n()) {
            return x.n() - x.values().size() >= y.n() - y.values().size() ? x
                : new Entry(x.n(), x.values().subList(0, (int) (x.n() - y.n() + y.values().size())));
        }
        return y.n() - y.values().size() >= x.n() - x.values().size() ? y
            : new Entry(y.n(), y.values().subList(0, (int) (y.n() - x.n() + x.values().size())));
    }

    /** dvvset less/2: b's clock strictly dominates a's. */
    static boolean less(final DvvsetModel a, final DvvsetModel b) {
        boolean strict = false;
        for (final Map.Entry<ActorId, Entry> e : a.entries.entrySet()) {
            final Entry other = b.entries.get(e.getKey());
            if (other == null || other.n() < e.getValue().n()) {
                return false;
            }
            strict |= other.n() > e.getValue().n();
        }
        return strict || b.entries.size() > a.entries.size();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof DvvsetModel m && entries.equals(m.entries) && List.copyOf(anonymous).equals(List.copyOf(m.anonymous));
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "Model" + entries + " anonymous=" + anonymous;
    }
}
