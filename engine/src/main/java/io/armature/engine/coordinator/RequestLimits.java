package io.armature.engine.coordinator;

import io.armature.api.Consistency;
import io.armature.api.InvalidRequestException;
import io.armature.engine.config.StoreSettings;
import java.time.Duration;

/**
 * Checks a request against the store's limits before anything is sent or stored, and resolves
 * per-call overrides against the store's settings. Used by every client and again by the node
 * that receives a remote request (a remote client may be configured differently).
 */
public final class RequestLimits {
    private RequestLimits() {
    }

    /**
     * @param key the key
     * @param settings the store's settings
     * @throws InvalidRequestException if the key is empty or too long
     */
    public static void checkKey(final byte[] key, final StoreSettings settings) {
        if (key == null || key.length == 0) {
            throw new InvalidRequestException("key must not be empty");
        }
        if (key.length > settings.maxKeySize()) {
            throw new InvalidRequestException("key is " + key.length + " bytes, store.max-key-size is " + settings.maxKeySize());
        }
    }

    /**
     * @param value the value
     * @param settings the store's settings
     * @throws InvalidRequestException if the value is null or too long
     */
    public static void checkValue(final byte[] value, final StoreSettings settings) {
        if (value == null) {
            throw new InvalidRequestException("value must not be null (use delete to remove a key)");
        }
        if (value.length > settings.maxValueSize()) {
            throw new InvalidRequestException("value is " + value.length + " bytes, store.max-value-size is "
                + settings.maxValueSize());
        }
    }

    /**
     * @param requested R or W asked for, 0 for the store's default
     * @param defaultValue the store's R or W
     * @param n the store's N
     * @param name "r" or "w", for the message
     * @return the quorum to use
     * @throws InvalidRequestException if outside 1..N
     */
    public static int quorum(final int requested, final int defaultValue, final int n, final String name) {
        final int q = requested == 0 ? defaultValue : requested;
        if (q < 1 || q > n) {
            throw new InvalidRequestException("consistency: " + name + " must be in 1..n (" + n + "), was " + q);
        }
        return q;
    }

    /**
     * @param consistency per-call overrides, may be null
     * @param settings the store's settings
     * @return the timeout to use, in milliseconds
     */
    public static long timeoutMillis(final Consistency consistency, final StoreSettings settings) {
        final Duration d = consistency == null || consistency.timeout() == null ? settings.requestTimeout() : consistency.timeout();
        return Math.max(1, d.toMillis());
    }
}
