package io.armature.client;

import io.armature.api.KvClient;
import io.armature.spi.client.RemoteClientConfig;
import io.armature.spi.client.RemoteClientProvider;
import io.armature.spi.transport.Endpoint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A client of a running Armature cluster in three lines:
 *
 * <pre>{@code
 * try (KvClient kv = ArmatureClient.builder()
 *         .contactPoints("10.0.0.1:7000", "10.0.0.2:7000")
 *         .secretFile(Path.of("/etc/armature/secret"))
 *         .build()) {
 *     kv.blocking().put(key, value, Context.empty());
 * }
 * }</pre>
 *
 * <p>Each request goes to one contact point, which coordinates it (or forwards it to a node that
 * can); a contact point that cannot be reached is skipped for the next. Failures are the api's
 * exceptions and name the operation, the timeout and what each node tried answered.
 */
public final class ArmatureClient {
    private ArmatureClient() {
    }

    /**
     * @return a builder: Aeron transport, no secret, the store's default request timeout
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects where the cluster is and how to reach it. Not thread-safe. */
    public static final class Builder {
        private final List<Endpoint> contactPoints = new ArrayList<>();
        private Path secretFile;
        private String transport = "aeron";
        private final Map<String, String> transportProperties = new LinkedHashMap<>();
        private Duration requestTimeout;

        private Builder() {
        }

        /**
         * @param hostPorts nodes of the cluster as {@code host:port} (the nodes' {@code --listen}
         *     addresses; {@code [v6]:port} for IPv6); list several to survive one being down
         * @return this builder
         * @throws IllegalArgumentException naming the entry that is not {@code host:port}
         */
        public Builder contactPoints(final String... hostPorts) {
            return contactPoints(List.of(hostPorts));
        }

        /**
         * @param hostPorts nodes of the cluster as {@code host:port}
         * @return this builder
         * @throws IllegalArgumentException naming the entry that is not {@code host:port}
         */
        public Builder contactPoints(final List<String> hostPorts) {
            for (final String hp : hostPorts) {
                contactPoints.add(parse(hp));
            }
            return this;
        }

        /**
         * @param path the cluster secret's file, the same as the nodes' {@code --secret-file}
         *     (readable by its owner only); without it a cluster with a secret drops every request
         * @return this builder
         */
        public Builder secretFile(final Path path) {
            this.secretFile = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * @param id the transport plugin the cluster speaks (default {@code aeron})
         * @return this builder
         */
        public Builder transport(final String id) {
            this.transport = Objects.requireNonNull(id, "id");
            return this;
        }

        /**
         * @param key a transport setting, for example {@code aeron.term-length}
         * @param value its value
         * @return this builder
         */
        public Builder transportProperty(final String key, final String value) {
            transportProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * @param timeout how long a request that names no timeout waits for its answer (default 2 s)
         * @return this builder
         */
        public Builder requestTimeout(final Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * @return a connected client; close it to release its transport
         * @throws IllegalArgumentException if no contact point was given or the secret file cannot be used
         * @throws io.armature.spi.PluginException if the transport plugin is not on the class path
         * @throws IllegalStateException if the engine is not on the class path
         */
        public KvClient build() {
            final RemoteClientConfig config = new RemoteClientConfig(contactPoints, Optional.ofNullable(secretFile), transport,
                transportProperties, Optional.ofNullable(requestTimeout));
            final Iterator<RemoteClientProvider> providers = ServiceLoader.load(RemoteClientProvider.class,
                ArmatureClient.class.getClassLoader()).iterator();
            if (!providers.hasNext()) {
                throw new IllegalStateException("client: no RemoteClientProvider on the class path; "
                    + "armature-client needs armature-engine at run time (a runtime dependency of armature-client)");
            }
            return providers.next().connect(config);
        }

        private static Endpoint parse(final String hostPort) {
            Objects.requireNonNull(hostPort, "contact point");
            try {
                return Endpoint.parse(hostPort);
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("client: contact point: " + e.getMessage(), e);
            }
        }
    }
}
