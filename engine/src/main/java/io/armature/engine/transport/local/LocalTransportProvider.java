package io.armature.engine.transport.local;

import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.spi.transport.TransportProvider;

import java.util.Set;
import java.util.TreeSet;

/**
 * The built-in in-JVM transport, id {@code "local"}.
 *
 * <p>Properties: {@code local.network} (a name given to {@link LocalNetwork#register}; default
 * the shared network), {@code local.queue-capacity} (inbound messages held per transport,
 * default 65536) and {@code local.queue-bytes} (inbound bytes held per transport, default 64
 * MiB). Unknown {@code local.*} keys are rejected.
 */
public final class LocalTransportProvider implements TransportProvider {
    /** This provider's id. */
    public static final String ID = "local";
    static final String NETWORK = "local.network";
    static final String QUEUE_CAPACITY = "local.queue-capacity";
    static final String QUEUE_BYTES = "local.queue-bytes";
    private static final Set<String> KEYS = Set.of(NETWORK, QUEUE_CAPACITY, QUEUE_BYTES);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public java.util.List<io.armature.spi.SettingInfo> settings() {
        return java.util.List.of(
            new io.armature.spi.SettingInfo(NETWORK, "shared", "a name given to LocalNetwork.register", "Which in-JVM network to join."),
            new io.armature.spi.SettingInfo(QUEUE_CAPACITY, "65536", "2..16777216", "Inbound messages held per transport."),
            new io.armature.spi.SettingInfo(QUEUE_BYTES, "67108864", "max-message-size..", "Inbound bytes held per transport."));
    }

    @Override
    public String description() {
        return "in-JVM transport for embedded clusters and tests";
    }

    @Override
    public Transport create(final TransportConfig config) {
        final Set<String> unknown = new TreeSet<>();
        for (final String key : config.properties().keySet()) {
            if (key.startsWith(ID + ".") && !KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown local transport settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        final LocalNetwork network = LocalNetwork.named(config.property(NETWORK, "shared"));
        final int capacity = (int) parse(config, QUEUE_CAPACITY, 65_536, 2, 1 << 24);
        final long bytes = parse(config, QUEUE_BYTES, 64L << 20, config.maxMessageSize(), Long.MAX_VALUE);
        return new LocalTransport(network, config.maxMessageSize(), capacity, bytes);
    }

    private static long parse(final TransportConfig config, final String key, final long defaultValue, final long min, final long max) {
        final String text = config.property(key, null);
        if (text == null) {
            return defaultValue;
        }
        final long value;
        try {
            value = Long.parseLong(text.trim());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", was " + value);
        }
        return value;
    }
}
