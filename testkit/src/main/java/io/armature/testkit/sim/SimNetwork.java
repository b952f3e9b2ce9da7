package io.armature.testkit.sim;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.TransportException;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The simulated network that connects the {@link SimTransport}s of a simulation. Messages travel
 * as events of the {@link SimLoop} with seeded delay, loss, duplication and reordering
 * ({@link NetworkConditions}); partitions split the nodes into sets that cannot reach each other
 * until {@link #heal()}. A message to a node that is down, or that a partition separates from
 * the sender when it is sent or when it arrives, is lost. Single-threaded, like the loop.
 */
public final class SimNetwork {
    private final SimLoop loop;
    private final RandomGenerator random;
    private final Map<Endpoint, SimTransport> bound = new HashMap<>();
    private final Map<String, Long> lastArrival = new HashMap<>();
    private Map<String, Integer> groupOf = Map.of();
    private final Map<String, Long> slowBy = new HashMap<>();
    private NetworkConditions conditions = NetworkConditions.HEALTHY;
    private long sent;
    private long delivered;
    private long dropped;
    private long duplicated;

    /**
     * @param loop the simulation's event queue
     * @param random the network's share of the simulation's seeded randomness
     */
    public SimNetwork(final SimLoop loop, final RandomGenerator random) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @param node the node this transport belongs to (partitions name nodes)
     * @return a new, unbound transport on this network
     */
    public SimTransport transport(final String node) {
        return new SimTransport(this, node);
    }

    /**
     * @param conditions delay, loss, duplication and reordering from now on
     */
    public void setConditions(final NetworkConditions conditions) {
        this.conditions = Objects.requireNonNull(conditions, "conditions");
    }

    /**
     * @return the conditions in force
     */
    public NetworkConditions conditions() {
        return conditions;
    }

    /**
     * Splits the nodes: nodes of one set reach each other only; a node named in no set is
     * alone. Replaces any earlier partition.
     *
     * @param groups disjoint sets of node names
     */
    public void partition(final Collection<? extends Set<String>> groups) {
        final Map<String, Integer> g = new HashMap<>();
        int i = 0;
        for (final Set<String> group : groups) {
            for (final String node : group) {
                if (g.put(node, i) != null) {
                    throw new IllegalArgumentException("partition groups overlap on node " + node);
                }
            }
            i++;
        }
        groupOf = g;
    }

    /**
     * Makes a node slow: every message it sends or receives takes this much longer.
     *
     * @param node the node's name
     * @param extraNanos the added latency; 0 or less makes it normal again
     */
    public void slow(final String node, final long extraNanos) {
        if (extraNanos <= 0) {
            slowBy.remove(node);
        } else {
            slowBy.put(node, extraNanos);
        }
    }

    /**
     * Ends every partition; links carry messages again (loss rates still apply).
     */
    public void heal() {
        groupOf = Map.of();
    }

    /**
     * @param a a node
     * @param b another node
     * @return true if no partition separates them now
     */
    public boolean canReach(final String a, final String b) {
        if (groupOf.isEmpty() || a.equals(b)) {
            return true;
        }
        final Integer ga = groupOf.get(a);
        return ga != null && ga.equals(groupOf.get(b));
    }

    /**
     * @return true while a partition is in force
     */
    public boolean isPartitioned() {
        return !groupOf.isEmpty();
    }

    Endpoint bind(final SimTransport transport, final Endpoint requested) {
        Endpoint ep = requested;
        if (ep.port() == 0) {
            int port = 7000;
            while (bound.containsKey(new Endpoint(ep.host(), port))) {
                port++;
            }
            ep = new Endpoint(ep.host(), port);
        }
        final SimTransport previous = bound.get(ep);
        if (previous != null && previous.isOpen()) {
            throw new TransportException("simulated endpoint " + ep + " is already bound by node " + previous.node());
        }
        bound.put(ep, transport);
        return ep;
    }

    void unbind(final SimTransport transport) {
        bound.values().removeIf(t -> t == transport);
    }

    SendStatus send(final SimTransport from, final Endpoint to, final ByteBuffer message) {
        final byte[] copy = new byte[message.remaining()];
        message.duplicate().get(copy);
        sent++;
        final SimTransport target = bound.get(to);
        if (target == null) {
            dropped++;
            return SendStatus.SENT;
        }
        final NetworkConditions c = conditions;
        if (!canReach(from.node(), target.node()) || (c.dropRate() > 0 && random.nextDouble() < c.dropRate())) {
            dropped++;
            return SendStatus.SENT;
        }
        final int copies = c.duplicateRate() > 0 && random.nextDouble() < c.duplicateRate() ? 2 : 1;
        if (copies == 2) {
            duplicated++;
        }
        for (int i = 0; i < copies; i++) {
            long delay = c.minDelayNanos() == c.maxDelayNanos()
                ? c.minDelayNanos() : random.nextLong(c.minDelayNanos(), c.maxDelayNanos() + 1);
            delay += slowBy.getOrDefault(from.node(), 0L) + slowBy.getOrDefault(target.node(), 0L);
            if (!c.reorder()) {
                final String link = from.node() + "->" + to;
                final long at = Math.max(loop.now() + delay, lastArrival.getOrDefault(link, 0L));
                lastArrival.put(link, at);
                delay = at - loop.now();
            }
            loop.schedule(delay, () -> deliver(from.node(), to, target, copy));
        }
        return SendStatus.SENT;
    }

    private void deliver(final String fromNode, final Endpoint to, final SimTransport target, final byte[] bytes) {
        if (bound.get(to) != target || !target.isOpen() || !canReach(fromNode, target.node())) {
            dropped++;
            return;
        }
        delivered++;
        target.deliver(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
    }

    /**
     * @return counters: sent, delivered, dropped, duplicated
     */
    public Map<String, Long> stats() {
        final Map<String, Long> m = new TreeMap<>();
        m.put("sent", sent);
        m.put("delivered", delivered);
        m.put("dropped", dropped);
        m.put("duplicated", duplicated);
        return m;
    }

    /**
     * @return the endpoints bound now, for diagnostics
     */
    public List<Endpoint> boundEndpoints() {
        return new ArrayList<>(bound.keySet());
    }
}
