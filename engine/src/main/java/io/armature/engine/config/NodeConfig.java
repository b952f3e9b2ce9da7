package io.armature.engine.config;

import io.armature.engine.faults.FaultInjection;
import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One node's configuration: identity, where it listens, how it finds the cluster, and the store
 * settings. Built with {@link #builder(NodeId, Endpoint)}; {@link Builder#build()} validates once,
 * naming the setting at fault. Immutable.
 */
public final class NodeConfig {
    /** Default ring partitions Q. */
    public static final int DEFAULT_PARTITIONS = 256;
    /** Default consecutive replica timeouts after which a node is suspected. */
    public static final int DEFAULT_SUSPECT_AFTER_TIMEOUTS = 2;
    /** Default time a suspected node is skipped before it is tried again. */
    public static final Duration DEFAULT_SUSPECT_RETRY = Duration.ofSeconds(1);
    /** Default bytes of recently used records a node keeps decoded in memory (64 MiB). */
    public static final long DEFAULT_RECORD_CACHE_BYTES = 64L << 20;

    private final NodeId nodeId;
    private final Endpoint listen;
    private final Endpoint advertise;
    private final List<Endpoint> seeds;
    private final String zone;
    private final StoreSettings store;
    private final int partitions;
    private final int suspectAfterTimeouts;
    private final Duration suspectRetry;
    private final byte[] secret;
    private final FaultInjection faults;
    private final RepairSettings repair;
    private final long recordCacheBytes;

    private NodeConfig(final Builder b) {
        this.nodeId = b.nodeId;
        this.listen = b.listen;
        this.advertise = b.advertise;
        this.seeds = List.copyOf(b.seeds);
        this.zone = b.zone;
        this.store = b.store;
        this.partitions = b.partitions;
        this.suspectAfterTimeouts = b.suspectAfterTimeouts;
        this.suspectRetry = b.suspectRetry;
        this.secret = b.secret;
        this.faults = b.faults;
        this.repair = b.repair;
        this.recordCacheBytes = b.recordCacheBytes;
    }

    /**
     * @param nodeId the node's id
     * @param listen where its transport listens
     * @return a builder with the defaults
     */
    public static Builder builder(final NodeId nodeId, final Endpoint listen) {
        return new Builder(nodeId, listen);
    }

    /** @return the node's id */
    public NodeId nodeId() {
        return nodeId;
    }

    /** @return where the node listens */
    public Endpoint listen() {
        return listen;
    }

    /**
     * @return the address peers and clients reach the node at, carried in gossip, the ring's join
     *     and replies, when it is not where the node listens (a wildcard bind, NAT, a container);
     *     null to advertise the address the transport bound. A port of 0 stands for the bound port
     */
    public Endpoint advertise() {
        return advertise;
    }

    /** @return endpoints to contact at start */
    public List<Endpoint> seeds() {
        return seeds;
    }

    /** @return the node's zone, "" for none */
    public String zone() {
        return zone;
    }

    /** @return the store settings */
    public StoreSettings store() {
        return store;
    }

    /** @return ring partitions Q */
    public int partitions() {
        return partitions;
    }

    /** @return consecutive replica timeouts after which a peer is suspected */
    public int suspectAfterTimeouts() {
        return suspectAfterTimeouts;
    }

    /** @return how long a suspected peer is skipped before it is tried again */
    public Duration suspectRetry() {
        return suspectRetry;
    }

    /** @return a copy of the cluster secret every frame is tagged with, or null for none */
    public byte[] secret() {
        return secret == null ? null : secret.clone();
    }

    /** @return deliberate bugs, for the testkit's self-tests only; {@link FaultInjection#NONE} otherwise */
    public FaultInjection faults() {
        return faults;
    }

    /**
     * @return the periods and rates of hinted handoff and anti-entropy
     */
    public RepairSettings repair() {
        return repair;
    }

    /**
     * @return bytes of recently used records kept decoded in memory (write-through); 0 for none
     */
    public long recordCacheBytes() {
        return recordCacheBytes;
    }

    @Override
    public String toString() {
        return "NodeConfig[node-id=" + nodeId + ", listen=" + listen + (advertise == null ? "" : ", advertise=" + advertise)
            + ", seeds=" + seeds + ", zone=" + zone
            + ", partitions=" + partitions + ", record-cache=" + recordCacheBytes + ", secret=" + (secret == null ? "none" : "set") + ", " + store + "]";
    }

    /**
     * Builds a {@link NodeConfig}.
     */
    public static final class Builder {
        private final NodeId nodeId;
        private final Endpoint listen;
        private Endpoint advertise;
        private List<Endpoint> seeds = List.of();
        private String zone = "";
        private StoreSettings store = StoreSettings.defaults();
        private int partitions = DEFAULT_PARTITIONS;
        private int suspectAfterTimeouts = DEFAULT_SUSPECT_AFTER_TIMEOUTS;
        private Duration suspectRetry = DEFAULT_SUSPECT_RETRY;
        private byte[] secret;
        private FaultInjection faults = FaultInjection.NONE;
        private RepairSettings repair = RepairSettings.defaults();
        private long recordCacheBytes = DEFAULT_RECORD_CACHE_BYTES;

        private Builder(final NodeId nodeId, final Endpoint listen) {
            this.nodeId = Objects.requireNonNull(nodeId, "node-id");
            this.listen = Objects.requireNonNull(listen, "listen");
        }

        /** @param seeds endpoints to contact at start @return this */
        public Builder seeds(final List<Endpoint> seeds) {
            this.seeds = Objects.requireNonNull(seeds, "seeds");
            return this;
        }

        /**
         * @param advertise the address peers and clients reach the node at, or null for the bound one
         * @return this
         */
        public Builder advertise(final Endpoint advertise) {
            this.advertise = advertise;
            return this;
        }

        /** @param zone the node's zone, "" for none @return this */
        public Builder zone(final String zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** @param store the store settings @return this */
        public Builder store(final StoreSettings store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** @param partitions ring partitions, a power of two in 8..65536 @return this */
        public Builder partitions(final int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** @param count consecutive replica timeouts before suspicion, 1..1000 @return this */
        public Builder suspectAfterTimeouts(final int count) {
            this.suspectAfterTimeouts = count;
            return this;
        }

        /** @param retry how long a suspect is skipped before it is tried again, positive @return this */
        public Builder suspectRetry(final Duration retry) {
            this.suspectRetry = Objects.requireNonNull(retry, "suspect-retry");
            return this;
        }

        /** @param faults deliberate bugs, for the testkit's self-tests only @return this */
        public Builder faults(final FaultInjection faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /**
         * @param repair the repair periods and rates
         * @return this builder
         */
        public Builder repair(final RepairSettings repair) {
            this.repair = Objects.requireNonNull(repair, "repair");
            return this;
        }

        /**
         * @param secret the cluster secret (see {@link SecretFile}): every frame this node sends
         *               carries its HMAC-SHA256 tag, and frames without a valid tag are dropped;
         *               null for none. Copied
         * @return this
         */
        public Builder secret(final byte[] secret) {
            this.secret = secret == null ? null : secret.clone();
            return this;
        }

        /**
         * @param bytes bytes of recently used records kept decoded in memory, 0..64 GiB; 0 for none
         * @return this
         */
        public Builder recordCacheBytes(final long bytes) {
            this.recordCacheBytes = bytes;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException naming the setting out of range
         */
        public NodeConfig build() {
            if (partitions < 8 || partitions > 65_536 || Integer.bitCount(partitions) != 1) {
                throw new IllegalArgumentException("node.partitions must be a power of two in 8..65536, was " + partitions);
            }
            if (!zone.isEmpty()) {
                try {
                    new NodeId(zone);
                } catch (final IllegalArgumentException e) {
                    // The ring holds zones in the node id alphabet; refused here, not at the join.
                    throw new IllegalArgumentException("node.zone must be empty or 1.." + NodeId.MAX_LENGTH
                        + " characters of [A-Za-z0-9._-], was '" + zone + "'", e);
                }
            }
            if (advertise != null && wildcard(advertise.host())) {
                throw new IllegalArgumentException("node.advertise must be an address peers can reach, not the wildcard "
                    + advertise);
            }
            if (advertise == null && wildcard(listen.host())) {
                throw new IllegalArgumentException("node.listen " + listen + " is a wildcard, which peers cannot reach:"
                    + " set node.advertise to the address they use");
            }
            if (suspectAfterTimeouts < 1 || suspectAfterTimeouts > 1000) {
                throw new IllegalArgumentException("node.suspect-after-timeouts must be in 1..1000, was " + suspectAfterTimeouts);
            }
            if (suspectRetry.isNegative() || suspectRetry.isZero()) {
                throw new IllegalArgumentException("node.suspect-retry must be positive, was " + suspectRetry);
            }
            if (recordCacheBytes < 0 || recordCacheBytes > (64L << 30)) {
                throw new IllegalArgumentException("node.record-cache must be in 0..64 GiB, was " + recordCacheBytes + " bytes");
            }
            if (secret != null && secret.length == 0) {
                throw new IllegalArgumentException("node.secret must not be empty (use no secret instead)");
            }
            return new NodeConfig(this);
        }

        private static boolean wildcard(final String host) {
            return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.equals("*") || host.isEmpty();
        }
    }
}
