package io.armature.engine.client;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.KvClient;
import io.armature.engine.config.SecretFile;
import io.armature.engine.config.StoreSettings;
import io.armature.spi.PluginRegistry;
import io.armature.spi.client.RemoteClientConfig;
import io.armature.spi.client.RemoteClientProvider;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The engine's {@link RemoteClientProvider}: a {@link RemoteKvClient} over a transport plugin,
 * found by {@code armature-client}'s {@code ArmatureClient.builder()} through ServiceLoader.
 */
public final class RemoteClients implements RemoteClientProvider {
    @Override
    public KvClient connect(final RemoteClientConfig config) {
        final byte[] secret = config.secretFile().map(SecretFile::read).orElse(null);
        final StoreSettings.Builder limits = StoreSettings.defaults().toBuilder();
        // The client never waits on replicas itself; the replica timeout only has to stay within
        // the request timeout for the settings to be valid.
        config.requestTimeout().ifPresent(t -> limits.requestTimeout(t)
            .replicaTimeout(t.compareTo(StoreSettings.DEFAULT_REPLICA_TIMEOUT) < 0 ? t : StoreSettings.DEFAULT_REPLICA_TIMEOUT));
        // The client's loop drives its transport: no busy media driver threads in the user's JVM.
        final TransportConfig.Builder tc = TransportConfig.builder().ownerDriven(true);
        config.transportProperties().forEach(tc::property);
        final Transport transport = PluginRegistry.transport().get(config.transport()).create(tc.build());
        try {
            return RemoteKvClient.connect(transport, new Endpoint(replyHost(config), 0), config.contactPoints(), limits.build(), secret);
        } catch (final RuntimeException e) {
            transport.close();
            throw e;
        }
    }

    /**
     * Where replies should come back to: for a network transport, the local address the route to
     * the first contact point leaves from, so that a node on another machine can answer; for the
     * in-JVM transport, a name.
     */
    static String replyHost(final RemoteClientConfig config) {
        if ("local".equals(config.transport())) {
            return "armature-client";
        }
        final Endpoint first = config.contactPoints().get(0);
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(first.host(), first.port()));
            final InetAddress local = probe.getLocalAddress();
            if (local != null && !local.isAnyLocalAddress()) {
                return local.getHostAddress();
            }
        } catch (final IOException | IllegalArgumentException e) {
            throw new ClusterUnavailableException("cannot route to " + first + ": " + e.getMessage());
        }
        return InetAddress.getLoopbackAddress().getHostAddress();
    }
}
