package io.armature.spi;

import java.util.Objects;

/**
 * One setting a plugin (or the node) takes, as operators see it: in a {@code --set KEY=VALUE},
 * and in the generated reference docs/configuration.md. The plugin still parses and validates
 * its values itself; this is the description every listing is generated from, so that the
 * reference and the code cannot drift apart.
 *
 * @param key the full key, prefixed by the plugin's id ({@code bdb.cache-size}); a key ending in
 *            {@code .*} stands for a family of keys ({@code bdb.je.*})
 * @param defaultValue the default as an operator would write it, or {@code ""} for none
 * @param allowed the values or range accepted ({@code 1..16}, {@code sync, write-no-sync})
 * @param description one sentence: what it changes
 */
public record SettingInfo(String key, String defaultValue, String allowed, String description) {
    /** Checks that no part is missing. */
    public SettingInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(description, "description");
        if (key.isBlank()) {
            throw new IllegalArgumentException("a setting needs a key");
        }
    }

    /**
     * @param candidate a key as given
     * @return whether this setting names it (exactly, or as a member of a {@code .*} family)
     */
    public boolean matches(final String candidate) {
        return key.endsWith(".*") ? candidate.startsWith(key.substring(0, key.length() - 1)) : key.equals(candidate);
    }
}
