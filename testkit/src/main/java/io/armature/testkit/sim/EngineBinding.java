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

        /**
         * Asks this node to take a member out of the ring, as {@code cluster leave} does: it
         * relays the change to the claimant.
         *
         * @param node the member's name
         * @return false if the node refused or could not pass the change on
         */
        default boolean leave(final String node) {
            return false;
        }

        /**
         * @return true once this node left the ring and holds nothing its gainers still need
         *     (it gossips {@code left}): an operator stops it then
         */
        default boolean left() {
            return false;
        }
    }

    /**
     * @return true if this binding runs joins and leaves; the simulator skips them otherwise
     */
    default boolean supportsMoves() {
        return false;
    }

    /**
     * Notes the rings the running nodes hold, so that {@link #pastOwners} knows every ring that
     * was used. The simulator calls it after each event of a run with moves.
     */
    default void observe() {
    }

    /**
     * @param key a key
     * @return every node that replicated it in some ring a node held during the run (the final
     *     owners included)
     */
    default List<String> pastOwners(final String key) {
        return owners(key);
    }

    /**
     * @param node a node's name
     * @return true if the newest ring a running node holds names it
     */
    default boolean member(final String node) {
        return true;
    }

    /**
     * @return the members of the newest ring a running node holds
     */
    default int members() {
        return Integer.MAX_VALUE;
    }

    /**
     * @return true when every running node holds the newest ring and no partition is still
     *     moving (nothing to pull, nothing held for a gainer)
     */
    default boolean settled() {
        return true;
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
     * @return the names of the nodes that replicate it (its preference list in the newest ring a
     *     running node holds)
     */
    List<String> owners(String key);

    /**
     * @param storage a node's storage
     * @param key a key
     * @return the node's record of the key, decoded, or null if it holds none
     */
    ReplicaState read(StorageEngine storage, String key);
}
