package io.armature.testkit.sim;

import io.armature.api.KvClient;
import io.armature.engine.config.RepairSettings;
import io.armature.engine.faults.FaultInjection;
import io.armature.spi.storage.StorageEngine;
import io.armature.testkit.sim.check.ReplicaState;

import java.util.List;

/**
 * The simulator's one seam to the engine: how a simulated node runs the real engine's node, and
 * how a key's replicas and stored version sets are found. Everything engine-specific lives behind it.
 */
interface EngineBinding {
    /** Makes the binding for one run. */
    @FunctionalInterface
    interface Factory {
        /** The engine's {@code Node} with the engine's own repair settings (anti-entropy every 10 s, 10 days' grace). */
        Factory DEFAULT = scenario -> new EngineNodes(scenario, FaultInjection.NONE, RepairSettings.defaults());

        /**
         * @param scenario the run
         * @return the binding for it
         */
        EngineBinding create(Scenario scenario);
    }

    /** A started engine node. */
    interface Running {
        /**
         * @return a client that coordinates through this node
         */
        KvClient client();

        /**
         * Stops the node: cancels its timers, fails its pending requests, closes its transport.
         */
        void stop();
    }

    /**
     * Builds and starts the engine's node on the simulated node's storage, transport, clock,
     * scheduler and random source.
     *
     * @param node the simulated node
     * @param all every node of the cluster (for membership)
     * @return the running node
     */
    Running start(SimNode node, List<SimNode> all);

    /**
     * @param key a key
     * @return the names of the nodes that replicate it (its preference list)
     */
    List<String> owners(String key);

    /**
     * @param storage a node's storage
     * @param key a key
     * @return the node's record of the key, decoded, or null if it holds none
     */
    ReplicaState read(StorageEngine storage, String key);
}
