package io.armature.testkit.sim;

import io.armature.api.KvClient;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.faults.FaultInjection;
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
import java.util.List;
import java.util.Map;

/**
 * Binds simulated nodes to the engine's {@link Node}: a static ring over the scenario's nodes,
 * store settings from the scenario's N, R and W, and the simulator's storage, transport, clock,
 * scheduler and seeded random source.
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
        this.membership = new StaticMembership(ring, endpoints);
        this.settings = StoreSettings.builder().n(scenario.n()).r(scenario.r()).w(scenario.w())
            .requestTimeout(Duration.ofMillis(REQUEST_TIMEOUT_MILLIS)).replicaTimeout(Duration.ofMillis(REPLICA_TIMEOUT_MILLIS)).build();
    }

    @Override
    public Running start(final SimNode node, final List<SimNode> all) {
        final NodeConfig config = NodeConfig.builder(new NodeId(node.name()), node.endpoint()).store(settings)
            .partitions(PARTITIONS).faults(faults).repair(repair).build();
        final Node engine = new Node(new NodeContext(config, node.storage(), node.transport(), node.clock(), node.scheduler(),
            node.nextRandom(), meters, membership, null));
        engine.start();
        return new Running() {
            @Override
            public KvClient client() {
                return engine.client();
            }

            @Override
            public void stop() {
                engine.stop();
            }
        };
    }

    @Override
    public List<String> owners(final String key) {
        final List<String> out = new ArrayList<>();
        for (final NodeId id : ring.preferenceList(ring.partitionForKey(bytes(key)), scenario.n())) {
            out.add(id.value());
        }
        return out;
    }

    @Override
    public ReplicaState read(final StorageEngine storage, final String key) {
        return io.armature.testkit.chaos.StoredReplicas.replica(storage, ring, key);
    }

    private static byte[] bytes(final String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
