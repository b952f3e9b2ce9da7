package io.armature.spi.transport;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Settings of a {@link Transport}. Immutable; build with {@link #builder()}.
 *
 * <p>Provider-specific settings go in {@link #properties()} under the provider's id as prefix,
 * for example {@code aeron.mtu=8k}; a provider rejects keys with its prefix it does not know.
 */
public final class TransportConfig {
    /** Default largest message: what a read merges from three replicas' 640 KiB sets, plus a header. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 2 * 1024 * 1024;

    private final int maxMessageSize;
    private final boolean ownerDriven;
    private final Map<String, String> properties;

    private TransportConfig(final Builder b) {
        this.maxMessageSize = b.maxMessageSize;
        this.ownerDriven = b.ownerDriven;
        this.properties = Map.copyOf(b.properties);
    }

    /**
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the largest message the transport must carry
     */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /**
     * @return true when the transport's owner will call {@link Transport#doWork()} in its own loop,
     *     so the transport may run without threads of its own (a transport may ignore the hint;
     *     {@link Transport#ownerDriven()} says what it did)
     */
    public boolean ownerDriven() {
        return ownerDriven;
    }

    /**
     * @return provider-specific settings
     */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param key a property key
     * @param defaultValue returned when absent
     * @return the property's value
     */
    public String property(final String key, final String defaultValue) {
        return properties.getOrDefault(key, defaultValue);
    }

    @Override
    public String toString() {
        return "TransportConfig[maxMessageSize=" + maxMessageSize + ", ownerDriven=" + ownerDriven + ", properties=" + new TreeMap<>(properties) + "]";
    }

    /**
     * Builds a {@link TransportConfig}.
     */
    public static final class Builder {
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private boolean ownerDriven;
        private final Map<String, String> properties = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param maxMessageSize the largest message, at least 4 KiB
         * @return this builder
         */
        public Builder maxMessageSize(final int maxMessageSize) {
            if (maxMessageSize < 4096) {
                throw new IllegalArgumentException("transport max-message-size must be at least 4096 bytes, was " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /**
         * @param ownerDriven true when the owner will call {@link Transport#doWork()} in its duty cycle
         *     (default false: the transport runs its own threads)
         * @return this builder
         */
        public Builder ownerDriven(final boolean ownerDriven) {
            this.ownerDriven = ownerDriven;
            return this;
        }

        /**
         * @param key a property key, prefixed by the provider id
         * @param value its value
         * @return this builder
         */
        public Builder property(final String key, final String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @return the configuration
         */
        public TransportConfig build() {
            return new TransportConfig(this);
        }
    }
}
