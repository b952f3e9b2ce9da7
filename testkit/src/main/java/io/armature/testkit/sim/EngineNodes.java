package io.armature.testkit.sim;

import io.armature.api.KvClient;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.faults.FaultInjection;
import io.armature.engine.membership.MemberState;
import io.armature.engine.membership.Membership;
import io.armature.engine.membership.MembershipChange;
import io.armature.engine.membership.RingDistribution;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.node.Node;
import io.armature.engine.node.NodeContext;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Endpoint;
import io.armature.testkit.sim.check.ReplicaState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds simulated nodes to the engine's {@link Node}: a first ring over the scenario's nodes,
 * store settings from the scenario's N, R and W, and the simulator's storage, transport, clock,
 * scheduler and seeded random source. A node that joins later starts without a ring and asks its
 * seeds, as {@code armature node --seeds} does; rings then spread by gossip, and a key's owners
 * are its preference list in the newest ring a running node holds.
 */
final class EngineNodes implements EngineBinding {
    /** Ring partitions in simulations: few, so that keys share partitions and runs stay cheap. */
    static final int PARTITIONS = 16;
    /** Replica timeout of simulated nodes: a replica silent this long is given a stand-in. */
    static final long REPLICA_TIMEOUT_MILLIS = 250;
    /** Request deadline of simulated nodes. */
    static final long REQUEST_TIMEOUT_MILLIS = 1_000;

    private final Scenario scenario;
    private final Ring ring;
    private final StaticMembership membership;
    private final StoreSettings settings;
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final FaultInjection faults;
    private final RepairSettings repair;
    /** The running engine node of each simulated node, by index (null while down). */
    private final List<Node> live = new ArrayList<>();
    /** The ring each node held when last observed, by index: observing compares by identity. */
    private final List<Ring> lastSeen = new ArrayList<>();
    /** Every ring some running node held during the run. */
    private final Set<Ring> rings = new LinkedHashSet<>();

    EngineNodes(final Scenario scenario, final FaultInjection faults, final RepairSettings repair) {
        this.scenario = scenario;
        this.faults = faults;
        this.repair = repair;
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        final Map<NodeId, Endpoint> endpoints = new LinkedHashMap<>();
        for (int i = 0; i < scenario.nodes(); i++) {
            final NodeId id = new NodeId("n" + (i + 1));
            zones.put(id, "");
            endpoints.put(id, new Endpoint(id.value(), 7000));
        }
        this.ring = Ring.create(PARTITIONS, zones);
        rings.add(ring);
        this.membership = new StaticMembership(ring, endpoints);
        this.settings = StoreSettings.builder().n(scenario.n()).r(scenario.r()).w(scenario.w())
            .requestTimeout(Duration.ofMillis(REQUEST_TIMEOUT_MILLIS)).replicaTimeout(Duration.ofMillis(REPLICA_TIMEOUT_MILLIS)).build();
    }

    @Override
    public Running start(final SimNode node, final List<SimNode> all) {
        final NodeId id = new NodeId(node.name());
        final NodeConfig.Builder config = NodeConfig.builder(id, node.endpoint()).store(settings)
            .partitions(PARTITIONS).faults(faults).repair(repair);
        final Membership base;
        if (node.seeds() == null) {
            base = membership;
        } else {
            config.seeds(node.seeds().stream().map(SimNode::endpoint).toList());
            base = new RingDistribution.Joining(id, node.endpoint(), PARTITIONS, "");
        }
        final Node engine = new Node(new NodeContext(config.build(), node.storage(), node.transport(), node.clock(), node.scheduler(),
            node.nextRandom(), meters, base, null));
        engine.start();
        while (live.size() <= node.index()) {
            live.add(null);
            lastSeen.add(null);
        }
        live.set(node.index(), engine);
        return new Running() {
            @Override
            public KvClient client() {
                return engine.client();
            }

            @Override
            public void stop() {
                if (live.get(node.index()) == engine) {
                    live.set(node.index(), null);
                }
                engine.stop();
            }

            @Override
            public boolean leave(final String member) {
                try {
                    engine.rings().change(new MembershipChange(MembershipChange.Op.LEAVE, new NodeId(member), null));
                    return true;
                } catch (final IllegalArgumentException | IllegalStateException e) {
                    return false;
                }
            }

            @Override
            public boolean left() {
                return engine.memberStatus() == MemberState.Status.LEFT;
            }
        };
    }

    @Override
    public boolean supportsMoves() {
        return true;
    }

    @Override
    public void observe() {
        for (int i = 0; i < live.size(); i++) {
            final Node n = live.get(i);
            if (n != null) {
                final Ring r = n.membership().ring();
                if (r != lastSeen.get(i)) {
                    lastSeen.set(i, r);
                    if (n.rings().ringEpoch() != 0) {
                        rings.add(r);
                    }
                }
            }
        }
    }

    /** The newest ring a running node holds (a joiner's provisional ring of itself does not count). */
    private Ring newest() {
        Ring best = null;
        for (final Node n : live) {
            if (n != null && n.rings().ringEpoch() != 0) {
                final Ring r = n.membership().ring();
                best = best == null || r.epoch() > best.epoch() ? r : best;
            }
        }
        return best == null ? ring : best;
    }

    @Override
    public List<String> owners(final String key) {
        return preferenceList(newest(), key);
    }

    private List<String> preferenceList(final Ring r, final String key) {
        final List<String> out = new ArrayList<>();
        for (final NodeId id : r.preferenceList(r.partitionForKey(bytes(key)), scenario.n())) {
            out.add(id.value());
        }
        return out;
    }

    @Override
    public List<String> pastOwners(final String key) {
        observe();
        final Set<String> out = new TreeSet<>();
        for (final Ring r : rings) {
            out.addAll(preferenceList(r, key));
        }
        return new ArrayList<>(out);
    }

    @Override
    public boolean member(final String node) {
        return newest().members().contains(new NodeId(node));
    }

    @Override
    public int members() {
        return newest().members().size();
    }

    @Override
    public boolean settled() {
        final long epoch = newest().epoch();
        for (final Node n : live) {
            if (n != null && (n.rings().ringEpoch() != epoch || n.streaming().pending() > 0 || n.streaming().releasing() > 0
                || !n.streaming().pendingPartitions().partitions().isEmpty())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public ReplicaState read(final StorageEngine storage, final String key) {
        return io.armature.testkit.chaos.StoredReplicas.replica(storage, ring, key);
    }

    private static byte[] bytes(final String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
