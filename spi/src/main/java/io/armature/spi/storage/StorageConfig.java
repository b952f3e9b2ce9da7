package io.armature.spi.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where and how a {@link StorageProvider} opens an engine. Immutable; build with {@link #builder()}.
 *
 * <p>Provider-specific settings go in {@link #properties()} under the provider's id as prefix,
 * for example {@code bdb.cache-size=256m}; a provider rejects keys with its prefix it does not
 * know, naming them.
 */
public final class StorageConfig {
    /** Default upper bound of a record's value: a version set of a key, siblings included. */
    public static final int DEFAULT_MAX_RECORD_SIZE = 8 * 1024 * 1024;

    private final Path directory;
    private final Durability durability;
    private final int maxRecordSize;
    private final Map<String, String> properties;

    private StorageConfig(final Builder b) {
        this.directory = b.directory;
        this.durability = b.durability;
        this.maxRecordSize = b.maxRecordSize;
        this.properties = Map.copyOf(b.properties);
    }

    /**
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return the node's data directory, or null for engines that keep nothing on disk
     */
    public Path directory() {
        return directory;
    }

    /**
     * @return the requested durability, or null for the provider's documented default
     */
    public Durability durability() {
        return durability;
    }

    /**
     * @return the largest value a record may have; the engine must accept values up to this size
     */
    public int maxRecordSize() {
        return maxRecordSize;
    }

    /**
     * @return provider-specific settings
     */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * @param key a property key
     * @param defaultValue returned when the key is absent
     * @return the property's value
     */
    public String property(final String key, final String defaultValue) {
        return properties.getOrDefault(key, defaultValue);
    }

    @Override
    public String toString() {
        return "StorageConfig[directory=" + directory + ", durability=" + (durability == null ? "default" : durability.id())
            + ", maxRecordSize=" + maxRecordSize + ", properties=" + new TreeMap<>(properties) + "]";
    }

    /**
     * Builds a {@link StorageConfig}.
     */
    public static final class Builder {
        private Path directory;
        private Durability durability;
        private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
        private final Map<String, String> properties = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param directory the node's data directory
         * @return this builder
         */
        public Builder directory(final Path directory) {
            this.directory = directory;
            return this;
        }

        /**
         * @param durability the requested level, or null for the provider's default
         * @return this builder
         */
        public Builder durability(final Durability durability) {
            this.durability = durability;
            return this;
        }

        /**
         * @param maxRecordSize the largest record value, at least 1 KiB
         * @return this builder
         */
        public Builder maxRecordSize(final int maxRecordSize) {
            if (maxRecordSize < 1024) {
                throw new IllegalArgumentException("storage max-record-size must be at least 1024 bytes, was " + maxRecordSize);
            }
            this.maxRecordSize = maxRecordSize;
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
        public StorageConfig build() {
            return new StorageConfig(this);
        }
    }
}
