package io.armature.samples.cli;

import io.armature.api.KvClient;
import io.armature.spi.transport.Endpoint;

import java.time.Duration;
import java.util.List;

/**
 * How the client commands reach a cluster. The command line uses {@link RemoteConnector}; tests
 * hand in one that returns a client of an embedded cluster.
 */
public interface ClusterConnector {
    /**
     * @param seeds nodes to contact, in order of preference
     * @param secret the cluster secret, or null for an unsecured cluster
     * @return a connected client; the caller closes it
     * @throws io.armature.api.ClusterUnavailableException if no seed answers
     */
    KvClient connect(List<Endpoint> seeds, byte[] secret);

    /**
     * @param seeds nodes to contact, in order of preference
     * @param secret the cluster secret, or null
     * @param withMetrics also fetch each node's meters
     * @return the membership, ring ownership and (if asked) meters as the contacted node sees them
     * @throws io.armature.api.ClusterUnavailableException if no seed answers
     */
    ClusterStatus status(List<Endpoint> seeds, byte[] secret, boolean withMetrics);

    /**
     * @param seeds nodes to contact, in order of preference
     * @param secret the cluster secret, or null
     * @param withMetrics also fetch each node's meters
     * @param timeout how long to wait for each node, or null for the connector's default
     * @return as {@link #status(List, byte[], boolean)}
     */
    default ClusterStatus status(final List<Endpoint> seeds, final byte[] secret, final boolean withMetrics, final Duration timeout) {
        return status(seeds, secret, withMetrics);
    }

    /**
     * Sends an admin request ({@code /cluster/...}, docs/operations.md) to the first seed that
     * answers, always the same for the same seeds (staged changes live on the node asked).
     *
     * @param seeds nodes to contact, in order of preference
     * @param secret the cluster secret, or null
     * @param method {@code GET} or {@code POST}
     * @param pathAndQuery for example {@code /cluster/stage?op=leave&node=n3}
     * @return the node's answer
     * @throws io.armature.api.InvalidRequestException if the node refused the request (its reason as the message)
     * @throws io.armature.api.ClusterUnavailableException if no seed answers
     */
    default String admin(List<Endpoint> seeds, byte[] secret, String method, String pathAndQuery) {
        throw new UnsupportedOperationException("this connector has no admin requests");
    }
}
