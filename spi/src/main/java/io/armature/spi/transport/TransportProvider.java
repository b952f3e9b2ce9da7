package io.armature.spi.transport;

import io.armature.spi.Provider;

/**
 * Creates transports of one kind. Registered through {@link java.util.ServiceLoader} under
 * {@code META-INF/services/io.armature.spi.transport.TransportProvider} and found by
 * {@link #id()}. Built in: {@code "local"} (in-JVM, armature-engine); default network plugin:
 * {@code "aeron"}.
 */
public interface TransportProvider extends Provider {
    /**
     * @param config the transport's settings
     * @return a new, unbound transport; the caller closes it
     * @throws TransportException if resources cannot be set up
     */
    Transport create(TransportConfig config);
}
