package io.armature.spi.client;

import io.armature.api.KvClient;

/**
 * Connects a {@link KvClient} to a running cluster. The engine provides it (through
 * {@link java.util.ServiceLoader}), so that a library user's code compiles against the api and
 * the small {@code armature-client} artifact only, never against the engine.
 */
public interface RemoteClientProvider {
    /**
     * @param config where the cluster is and how to reach it
     * @return a connected client; closing it releases its transport
     * @throws IllegalArgumentException if the configuration cannot work (an unknown transport, an
     *     unreadable secret file), with the reason
     */
    KvClient connect(RemoteClientConfig config);
}
