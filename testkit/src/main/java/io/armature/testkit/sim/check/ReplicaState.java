package io.armature.testkit.sim.check;

import io.armature.api.Context;
import io.armature.testkit.sim.history.Contexts;

import java.util.List;
import java.util.Objects;

/**
 * What one replica holds for one key at the end of a run: its live siblings, how many tombstones,
 * the joined context, and a canonical form that two replicas share exactly when their version
 * sets are equal.
 *
 * @param live the live sibling values (each names its write)
 * @param tombstones the number of tombstone siblings
 * @param context the joined context of every version held
 * @param canonical compared with {@code equals} to decide whether two replicas agree (the
 *     decoded version set)
 */
public record ReplicaState(List<String> live, int tombstones, Context context, Object canonical) {
    /**
     * Copies the list.
     *
     * @param live live values
     * @param tombstones tombstones
     * @param context context
     * @param canonical canonical form
     */
    public ReplicaState {
        live = List.copyOf(live);
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(canonical, "canonical");
    }

    @Override
    public String toString() {
        return "{live=" + live + (tombstones > 0 ? ", tombstones=" + tombstones : "") + ", ctx=" + Contexts.format(context) + "}";
    }
}
