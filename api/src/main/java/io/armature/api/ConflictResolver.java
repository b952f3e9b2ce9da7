package io.armature.api;

import java.util.List;

/**
 * The application's merge of concurrent values (siblings), as in the Dynamo paper's shopping
 * cart: Armature never picks a winner by itself; it hands every concurrent value to the
 * application, which knows what they mean.
 *
 * <p>A good resolver is deterministic and does not depend on the order of the siblings, so
 * that two clients that resolve the same siblings write the same merged value.
 *
 * @param <V> the value type
 */
@FunctionalInterface
public interface ConflictResolver<V> {
    /**
     * @param siblings two or more concurrent values, in no particular order
     * @return the merged value, never null
     */
    V resolve(List<V> siblings);
}
