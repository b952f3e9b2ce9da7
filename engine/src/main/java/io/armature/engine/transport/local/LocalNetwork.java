package io.armature.engine.transport.local;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.TransportException;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiPredicate;

/**
 * Connects {@link LocalTransport}s in one JVM, and drops messages between chosen endpoints so
 * that tests can inject partitions. Thread-safe.
 *
 * <p>Fault rules apply to the sender's bound endpoint (a transport that never bound has no
 * endpoint, so only rules on the receiver match it). A dropped message is reported as
 * {@link io.armature.spi.transport.SendStatus#NOT_CONNECTED}: the transport contract never
 * reports a dropped message as sent.
 */
public final class LocalNetwork {
    private static final LocalNetwork SHARED = new LocalNetwork("shared");
    private static final Map<String, LocalNetwork> NAMED = new ConcurrentHashMap<>();

    private final String name;
    private final Map<Endpoint, LocalTransport> bound = new ConcurrentHashMap<>();
    private final List<BiPredicate<Endpoint, Endpoint>> dropRules = new CopyOnWriteArrayList<>();
    private int nextPort = 1;

    private LocalNetwork(final String name) {
        this.name = name;
    }

    /**
     * @return the network every local transport joins unless property {@code local.network}
     *     names another
     */
    public static LocalNetwork shared() {
        return SHARED;
    }

    /**
     * Creates a network that transports join with property {@code local.network=name}.
     *
     * @param name the network's name, not {@code "shared"} and not yet registered
     * @return the new network
     * @throws IllegalArgumentException if the name is taken
     */
    public static LocalNetwork register(final String name) {
        Objects.requireNonNull(name, "name");
        final LocalNetwork network = new LocalNetwork(name);
        if ("shared".equals(name) || NAMED.putIfAbsent(name, network) != null) {
            throw new IllegalArgumentException("local network '" + name + "' is already registered");
        }
        return network;
    }

    /**
     * Forgets a registered network; transports already on it keep working.
     *
     * @param name the network's name
     */
    public static void unregister(final String name) {
        NAMED.remove(name);
    }

    /**
     * @param name {@code "shared"} or a name given to {@link #register}
     * @return the network
     * @throws IllegalArgumentException naming the network if it is not registered
     */
    public static LocalNetwork named(final String name) {
        if ("shared".equals(name)) {
            return SHARED;
        }
        final LocalNetwork network = NAMED.get(name);
        if (network == null) {
            throw new IllegalArgumentException("local.network '" + name + "' is not registered; registered: "
                + new java.util.TreeSet<>(NAMED.keySet()));
        }
        return network;
    }

    /**
     * @return this network's name
     */
    public String name() {
        return name;
    }

    /**
     * Drops every message between a member of {@code a} and a member of {@code b}, both ways.
     *
     * @param a one side
     * @param b the other side
     */
    public void partition(final Set<Endpoint> a, final Set<Endpoint> b) {
        final Set<Endpoint> left = Set.copyOf(a);
        final Set<Endpoint> right = Set.copyOf(b);
        dropWhen((from, to) -> left.contains(from) && right.contains(to) || right.contains(from) && left.contains(to));
    }

    /**
     * Drops every message to or from an endpoint.
     *
     * @param endpoint the endpoint to cut off
     */
    public void isolate(final Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        dropWhen((from, to) -> endpoint.equals(from) || endpoint.equals(to));
    }

    /**
     * Drops the messages a predicate selects; it is called on the sending thread and must be
     * thread-safe.
     *
     * @param drop {@code (from, to) -> true} to drop; {@code from} is null if the sender is unbound
     */
    public void dropWhen(final BiPredicate<Endpoint, Endpoint> drop) {
        dropRules.add(Objects.requireNonNull(drop, "drop"));
    }

    /**
     * Removes every partition, isolation and drop predicate.
     */
    public void heal() {
        dropRules.clear();
    }

    boolean drops(final Endpoint from, final Endpoint to) {
        for (final BiPredicate<Endpoint, Endpoint> rule : dropRules) {
            if (rule.test(from, to)) {
                return true;
            }
        }
        return false;
    }

    LocalTransport lookup(final Endpoint to) {
        return bound.get(to);
    }

    synchronized Endpoint bind(final Endpoint requested, final LocalTransport transport) {
        Endpoint endpoint = requested;
        if (requested.port() == 0) {
            endpoint = null;
            for (int i = 0; i < 65_535 && endpoint == null; i++) {
                final Endpoint candidate = new Endpoint(requested.host(), nextPort);
                nextPort = nextPort == 65_535 ? 1 : nextPort + 1;
                if (!bound.containsKey(candidate)) {
                    endpoint = candidate;
                }
            }
            if (endpoint == null) {
                throw new TransportException("local network '" + name + "': no free port for " + requested);
            }
        }
        if (bound.putIfAbsent(endpoint, transport) != null) {
            throw new TransportException("local network '" + name + "': " + endpoint + " is already bound");
        }
        return endpoint;
    }

    void unbind(final Endpoint endpoint, final LocalTransport transport) {
        bound.remove(endpoint, transport);
    }

    @Override
    public String toString() {
        return "LocalNetwork[" + name + "]";
    }
}
