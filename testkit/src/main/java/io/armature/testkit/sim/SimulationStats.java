package io.armature.testkit.sim;

import java.util.Map;

/**
 * How much a simulated run did and how fast.
 *
 * @param operations client operations invoked
 * @param completed client operations that completed (acknowledged or failed)
 * @param events events the loop executed (timers, deliveries, client steps)
 * @param virtualNanos virtual time the run covered
 * @param wallNanos wall-clock time the run took
 * @param network the network's counters: sent, delivered, dropped, duplicated
 * @param faults faults that began
 * @param faultsDuringOperations faults that began while a client operation was in flight or
 *     before the clients' last step
 * @param purges records the nodes deleted from their partitions (tombstone purges)
 * @param lostTails crashes that lost writes after the node's last sync point
 * @param moves membership changes (joins and leaves) that began
 * @param movesDuringOperations those of them that began during the clients' work
 */
public record SimulationStats(long operations, long completed, long events, long virtualNanos, long wallNanos,
                              Map<String, Long> network, int faults, int faultsDuringOperations,
                              long purges, int lostTails, int moves, int movesDuringOperations) {
    /**
     * Copies the map.
     *
     * @param operations operations
     * @param completed completed
     * @param events events
     * @param virtualNanos virtual time
     * @param wallNanos wall time
     * @param network network counters
     * @param faults faults begun
     * @param faultsDuringOperations faults begun during the clients' work
     * @param purges tombstone purges
     * @param lostTails crashes that lost a tail of writes
     * @param moves joins and leaves begun
     * @param movesDuringOperations joins and leaves begun during the clients' work
     */
    public SimulationStats {
        network = Map.copyOf(network);
    }

    /**
     * @return simulated client operations per wall-clock second
     */
    public double operationsPerSecond() {
        return wallNanos == 0 ? 0 : operations * 1e9 / wallNanos;
    }

    @Override
    public String toString() {
        return String.format("%d ops (%d completed), %d events, %.1fs virtual in %.1fms wall, %.0f ops/s, network %s, "
            + "%d faults (%d during operations), %d purges, %d lost tails, %d moves (%d during operations)", operations, completed,
            events, virtualNanos / 1e9, wallNanos / 1e6, operationsPerSecond(), network, faults, faultsDuringOperations, purges,
            lostTails, moves, movesDuringOperations);
    }
}
