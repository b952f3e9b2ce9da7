package io.armature.testkit.sim.history;

import io.armature.api.Context;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Version-vector arithmetic on opaque {@link Context}s, for the checker: which actor has which
 * counter, and whether one context covers another's events. An actor is shown as
 * {@code node/incarnation} when its bytes have the engine's actor form
 * ({@code nodeLength:u8 node:utf8 incarnation:i64}), else as hex.
 */
public final class Contexts {
    private Contexts() {
    }

    /**
     * @param context a context, or null
     * @return its entries, actor label to counter, sorted by label; empty for null
     */
    public static Map<String, Long> entries(final Context context) {
        final Map<String, Long> m = new TreeMap<>();
        if (context != null) {
            context.forEachEntry((actor, counter) -> m.put(label(actor), counter));
        }
        return m;
    }

    /**
     * @param actor actor bytes
     * @return {@code node/incarnation} or {@code 0x<hex>}
     */
    public static String label(final byte[] actor) {
        if (actor.length >= 10) {
            final int len = actor[0] & 0xFF;
            if (len >= 1 && 1 + len + 8 == actor.length) {
                final String node = new String(actor, 1, len, StandardCharsets.UTF_8);
                return node + "/" + ByteBuffer.wrap(actor, 1 + len, 8).getLong();
            }
        }
        return "0x" + HexFormat.of().formatHex(actor);
    }

    /**
     * @param actorLabel an actor's label
     * @return the node part of a {@code node/incarnation} label, or the label itself
     */
    public static String nodeOf(final String actorLabel) {
        final int slash = actorLabel.lastIndexOf('/');
        return slash < 0 ? actorLabel : actorLabel.substring(0, slash);
    }

    /**
     * @param bigger a context
     * @param smaller another
     * @return true if every counter of {@code smaller} is at most the same actor's in {@code bigger}
     */
    public static boolean descends(final Map<String, Long> bigger, final Map<String, Long> smaller) {
        for (final Map.Entry<String, Long> e : smaller.entrySet()) {
            if (bigger.getOrDefault(e.getKey(), 0L) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param context a context, or null
     * @return {@code {actor:counter, ...}}, or {@code -} for null
     */
    public static String format(final Context context) {
        if (context == null) {
            return "-";
        }
        final StringBuilder b = new StringBuilder("{");
        entries(context).forEach((a, c) -> b.append(b.length() > 1 ? ", " : "").append(a).append(':').append(c));
        return b.append('}').toString();
    }

    /**
     * Builds a context from labels, for hand-made histories: each actor {@code node/incarnation}
     * gets the engine's actor byte form.
     *
     * @param entries actor label to counter
     * @return the context
     */
    public static Context of(final Map<String, Long> entries) {
        final Map<byte[], Long> counters = new IdentityHashMap<>();
        final List<byte[]> actors = new ArrayList<>();
        for (final Map.Entry<String, Long> e : entries.entrySet()) {
            final byte[] a = actorBytes(e.getKey());
            actors.add(a);
            counters.put(a, e.getValue());
        }
        actors.sort(Arrays::compareUnsigned);
        final byte[][] arr = actors.toArray(new byte[0][]);
        final long[] cs = new long[arr.length];
        for (int i = 0; i < arr.length; i++) {
            cs[i] = counters.get(arr[i]);
        }
        return Context.ofEntries(arr, cs);
    }

    private static byte[] actorBytes(final String label) {
        final int slash = label.lastIndexOf('/');
        final byte[] node = (slash < 0 ? label : label.substring(0, slash)).getBytes(StandardCharsets.UTF_8);
        final long inc = slash < 0 ? 0 : Long.parseLong(label.substring(slash + 1));
        return ByteBuffer.allocate(1 + node.length + 8).put((byte) node.length).put(node).putLong(inc).array();
    }
}
