package io.armature.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a read returns: every causally maximal value of a key (its siblings) and one causal
 * {@link Context} covering all of them.
 *
 * <p>No values means the key is missing or deleted; the context may still be non-empty (it then
 * covers the tombstone), and a write that should follow the delete must carry it. More than one
 * value means concurrent writes: merge them with a {@link ConflictResolver} and write the merged
 * value with this context, which supersedes every sibling the read returned.
 *
 * <p>Byte-array values are handed out as they were received; treat them as read-only.
 * Instances are immutable.
 *
 * @param <V> the value type: {@code byte[]} at the core, or a typed view's type
 */
public final class ReadResult<V> {
    private static final ReadResult<?> EMPTY = new ReadResult<>(List.of(), Context.empty());

    private final List<V> values;
    private final Context context;

    private ReadResult(final List<V> values, final Context context) {
        this.values = values;
        this.context = context;
    }

    /**
     * @param values the siblings, in no particular order; none for a missing or deleted key
     * @param context the joined context of every version read, tombstones included
     * @param <V> the value type
     * @return the result
     */
    public static <V> ReadResult<V> of(final List<V> values, final Context context) {
        Objects.requireNonNull(context, "context");
        final List<V> copy = Collections.unmodifiableList(new ArrayList<>(values));
        for (final V v : copy) {
            Objects.requireNonNull(v, "sibling values are never null");
        }
        return new ReadResult<>(copy, context);
    }

    /**
     * @param <V> the value type
     * @return the result of reading a key that was never written
     */
    @SuppressWarnings("unchecked")
    public static <V> ReadResult<V> empty() {
        return (ReadResult<V>) EMPTY;
    }

    /**
     * @return the siblings: one value normally, several after concurrent writes, none when the
     *     key is missing or deleted
     */
    public List<V> values() {
        return values;
    }

    /**
     * @return the causal context to pass to the next write based on this read
     */
    public Context context() {
        return context;
    }

    /**
     * @return true when the key holds more than one concurrent value
     */
    public boolean isConflict() {
        return values.size() > 1;
    }

    /**
     * @return true when the key holds no live value (never written, or deleted)
     */
    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Merges the siblings into one value.
     *
     * @param resolver the application's merge, called only when there are two or more siblings
     * @return the single or merged value, or empty when the key holds none
     */
    public Optional<V> resolve(final ConflictResolver<V> resolver) {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() == 1) {
            return Optional.of(values.get(0));
        }
        return Optional.of(Objects.requireNonNull(resolver.resolve(values), "resolver returned null"));
    }

    /**
     * @param mapper converts each sibling
     * @param <U> the new value type
     * @return a result with the same context and converted values
     */
    public <U> ReadResult<U> map(final Function<? super V, ? extends U> mapper) {
        final List<U> mapped = new ArrayList<>(values.size());
        for (final V v : values) {
            mapped.add(mapper.apply(v));
        }
        return new ReadResult<>(Collections.unmodifiableList(mapped), context);
    }

    @Override
    public String toString() {
        return "ReadResult[" + values.size() + " value(s), " + context + "]";
    }
}
