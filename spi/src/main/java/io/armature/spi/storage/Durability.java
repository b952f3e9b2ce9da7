package io.armature.spi.storage;

import java.util.Locale;

/**
 * What survives when a storage engine's method returns, from weakest to strongest.
 */
public enum Durability {
    /** Nothing survives close: in-memory engines. */
    NONE("none"),
    /** Survives a clean close; a process crash may lose the most recent writes. */
    NO_SYNC("no-sync"),
    /** Written to the operating system before returning: survives a process crash, not a machine crash. */
    WRITE_NO_SYNC("write-no-sync"),
    /** Synced to the device before returning: survives a power loss. */
    SYNC("sync");

    private final String id;

    Durability(final String id) {
        this.id = id;
    }

    /**
     * @return the name used in configuration, such as {@code "write-no-sync"}
     */
    public String id() {
        return id;
    }

    /**
     * @return true if data survives closing and reopening the engine
     */
    public boolean survivesReopen() {
        return this != NONE;
    }

    /**
     * @param id a configuration name, such as {@code "sync"}
     * @return the level
     * @throws IllegalArgumentException naming the allowed values if {@code id} is unknown
     */
    public static Durability fromId(final String id) {
        final String wanted = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (final Durability d : values()) {
            if (d.id.equals(wanted)) {
                return d;
            }
        }
        throw new IllegalArgumentException("durability: unknown level '" + id + "'; allowed: none, no-sync, write-no-sync, sync");
    }
}
