package io.armature.spi.client;

import io.armature.spi.transport.Endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RemoteClientProvider} needs to reach a cluster.
 *
 * @param contactPoints the nodes to send requests to, tried in turn; at least one
 * @param secretFile the cluster secret's file (owner-only permissions), if the cluster has one
 * @param transport the transport plugin the cluster speaks, for example {@code aeron}
 * @param transportProperties that plugin's settings
 * @param requestTimeout the timeout of a request that names none, if not the store's default
 */
public record RemoteClientConfig(List<Endpoint> contactPoints, Optional<Path> secretFile, String transport,
                                 Map<String, String> transportProperties, Optional<Duration> requestTimeout) {
    /**
     * Checks and copies the parts.
     */
    public RemoteClientConfig {
        contactPoints = List.copyOf(contactPoints);
        if (contactPoints.isEmpty()) {
            throw new IllegalArgumentException("client: at least one contact point is needed");
        }
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(transport, "transport");
        transportProperties = Map.copyOf(transportProperties);
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        requestTimeout.ifPresent(t -> {
            if (t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("client: the request timeout must be positive, not " + t);
            }
        });
    }
}
