package io.armature.spi;

/**
 * Something the {@link PluginRegistry} finds by id, such as a storage or transport provider.
 */
public interface Provider {
    /**
     * @return the provider's unique id, lower case, for example {@code "bdb"} or {@code "aeron"};
     *     two providers of one kind with the same id on a class path are an error
     */
    String id();

    /**
     * @return one line for operators: what this provider is
     */
    default String description() {
        return getClass().getName();
    }

    /**
     * @return every setting this provider takes under its id's prefix, with default and allowed
     *     values; the generated configuration reference lists them. Empty by default
     */
    default java.util.List<SettingInfo> settings() {
        return java.util.List.of();
    }
}
