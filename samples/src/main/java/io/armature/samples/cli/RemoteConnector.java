package io.armature.samples.cli;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.KvClient;
import io.armature.spi.transport.Endpoint;

import java.util.List;

/**
 * Reaches a cluster over the network with the engine's remote client.
 */
final class RemoteConnector implements ClusterConnector {
    @Override
    public KvClient connect(final List<Endpoint> seeds, final byte[] secret) {
        throw new ClusterUnavailableException("remote client not wired yet; tried " + seeds);
    }

    @Override
    public ClusterStatus status(final List<Endpoint> seeds, final byte[] secret, final boolean withMetrics) {
        throw new ClusterUnavailableException("remote client not wired yet; tried " + seeds);
    }
}
