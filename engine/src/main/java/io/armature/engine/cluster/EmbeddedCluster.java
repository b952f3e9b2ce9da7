package io.armature.engine.cluster;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.KvClient;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.membership.Membership;
import io.armature.engine.membership.RingDistribution;
import io.armature.engine.node.Node;
import io.armature.engine.node.NodeContext;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.runtime.NodeRuntime;
import io.armature.engine.transport.local.LocalNetwork;
import io.armature.spi.runtime.Clock;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageProvider;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.TransportConfig;
import io.armature.spi.transport.TransportProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * S nodes of a cluster in this JVM, each on its own event loop, for library users and tests.
 * With the default {@code memory} storage and {@code local} transport it needs no files and no
 * ports. Nodes can be stopped, restarted on the same storage, or wiped (fresh storage, hence a new
 * incarnation). Build with {@link #builder()}. Thread-safe.
 */
public final class EmbeddedCluster implements AutoCloseable {
    private static final AtomicInteger CLUSTERS = new AtomicInteger();
    private static final long WAIT_SECONDS = 30;

    private final EmbeddedClusterBuilder b;
    private final String name;
    private final LocalNetwork network;
    private NodeId[] ids;
    private Endpoint[] endpoints;
    private StorageEngine[] storages;
    private Node[] nodes;
    private NodeRuntime[] runtimes;
    private final SplittableRandom seeds;
    private final ClusterMembership membership = new ClusterMembership();
    private final ClusterKvClient client;
    private boolean closed;

    EmbeddedCluster(final EmbeddedClusterBuilder b) {
        this.b = b;
        this.name = "embedded-" + CLUSTERS.incrementAndGet() + "-" + Long.toHexString(b.seed);
        final int s = b.nodes;
        this.ids = new NodeId[s];
        this.endpoints = new Endpoint[s];
        this.storages = new StorageEngine[s];
        this.nodes = new Node[s];
        this.runtimes = new NodeRuntime[s];
        this.seeds = new SplittableRandom(b.seed);
        final boolean local = "local".equals(b.transport.id());
        this.network = local ? LocalNetwork.register(name) : null;
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        for (int i = 0; i < s; i++) {
            ids[i] = new NodeId("node-" + i);
            zones.put(ids[i], "");
            endpoints[i] = local ? new Endpoint(ids[i].value(), 1) : new Endpoint(b.host, 0);
        }
        membership.ring = Ring.create(b.partitions, zones);
        this.client = new ClusterKvClient(this);
    }

    /**
     * @return a builder: 3 nodes, memory storage, local transport, default store settings
     */
    public static EmbeddedClusterBuilder builder() {
        return new EmbeddedClusterBuilder();
    }

    synchronized EmbeddedCluster startAll() {
        try {
            for (int i = 0; i < nodes.length; i++) {
                storages[i] = openStorage(i);
                launch(i);
            }
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * @return a client that spreads requests over the running nodes, round-robin
     */
    public KvClient client() {
        return client;
    }

    /**
     * @param i a node index
     * @return a client that coordinates through node i
     */
    public synchronized KvClient client(final int i) {
        return node(i).client();
    }

    /**
     * @param i a node index
     * @return the node (its storage, incarnation, meters...)
     */
    public synchronized Node node(final int i) {
        check(i);
        return nodes[i];
    }

    /**
     * @param i a node index
     * @return the node's id
     */
    public synchronized NodeId nodeId(final int i) {
        check(i);
        return ids[i];
    }

    /**
     * @param i a node index
     * @return the endpoint node i listens on
     */
    public synchronized Endpoint endpoint(final int i) {
        check(i);
        return endpoints[i];
    }

    /**
     * @return the number of nodes
     */
    public synchronized int size() {
        return nodes.length;
    }

    /**
     * @return the newest ring a running node holds (rings spread by gossip; the cluster's first
     *     ring when no node runs)
     */
    public synchronized Ring ring() {
        Ring newest = membership.ring;
        for (int i = 0; i < nodes.length; i++) {
            if (runtimes[i] != null) {
                final Ring r = nodes[i].membership().ring();
                newest = r.epoch() > newest.epoch() ? r : newest;
            }
        }
        return newest;
    }

    /**
     * Starts one more node, {@code node-S}, that joins the running cluster through the others as
     * seeds (docs/repair.md, "Ring distribution and join"), and waits until every running node
     * holds a ring with it and every partition it gained has streamed to it.
     *
     * @return the new node's index
     * @throws ArmatureException if the join does not complete within the wait limit
     */
    public int join() {
        final NodeId id = startJoiner();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        // The wait holds no lock, so that clients keep reading and writing through the join.
        while (!joined(id) || pendingTransfers() > 0) {
            if (System.nanoTime() > deadline) {
                throw new ArmatureException(id + " did not join within " + WAIT_SECONDS + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return indexOf(id);
    }

    /**
     * Starts one more node, {@code node-S}, in the place of {@code dead} (a member gone for good):
     * node {@code via} asks the claimant for the replacement ring first ({@code Ring.replace}:
     * the new node takes exactly the dead node's partitions), then the new node starts and pulls
     * them from the surviving replicas. Waits until every running node holds the ring and every
     * transfer is done.
     *
     * @param via the index of the running node asked
     * @param dead the member replaced
     * @return the new node's index
     * @throws ArmatureException if the transfers do not complete within the wait limit
     */
    public int replaceWithNewNode(final int via, final NodeId dead) {
        final NodeId id;
        synchronized (this) {
            id = new NodeId("node-" + nodes.length);
        }
        change(via, new io.armature.engine.membership.MembershipChange(
            io.armature.engine.membership.MembershipChange.Op.REPLACE, dead, id));
        startJoiner();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!joined(id) || pendingTransfers() > 0) {
            if (System.nanoTime() > deadline) {
                throw new ArmatureException(id + " did not replace " + dead + " within " + WAIT_SECONDS + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return indexOf(id);
    }

    private synchronized NodeId startJoiner() {
        final int i = nodes.length;
        ids = java.util.Arrays.copyOf(ids, i + 1);
        endpoints = java.util.Arrays.copyOf(endpoints, i + 1);
        storages = java.util.Arrays.copyOf(storages, i + 1);
        nodes = java.util.Arrays.copyOf(nodes, i + 1);
        runtimes = java.util.Arrays.copyOf(runtimes, i + 1);
        ids[i] = new NodeId("node-" + i);
        endpoints[i] = network != null ? new Endpoint(ids[i].value(), 1) : new Endpoint(b.host, 0);
        final java.util.List<Endpoint> seedList = new java.util.ArrayList<>();
        for (int j = 0; j < i; j++) {
            if (runtimes[j] != null) {
                seedList.add(endpoints[j]);
            }
        }
        if (seedList.isEmpty()) {
            throw new IllegalStateException("no running node to join through");
        }
        storages[i] = openStorage(i);
        launch(i, seedList, new RingDistribution.Joining(ids[i], endpoints[i], b.partitions, ""));
        return ids[i];
    }

    private synchronized boolean joined(final NodeId id) {
        for (int j = 0; j < nodes.length; j++) {
            if (runtimes[j] != null && !nodes[j].membership().ring().members().contains(id)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the in-JVM network, for fault injection, or null when another transport is used
     */
    public LocalNetwork network() {
        return network;
    }

    /**
     * @param i a node index
     * @return true if node i is running
     */
    public synchronized boolean isRunning(final int i) {
        check(i);
        return runtimes[i] != null;
    }

    /**
     * Stops node i: its requests in flight fail, its transport closes, its storage stays.
     *
     * @param i a node index
     */
    public synchronized void stop(final int i) {
        check(i);
        final NodeRuntime rt = runtimes[i];
        if (rt == null) {
            return;
        }
        final Node node = nodes[i];
        rt.runAndWait(node::stop, WAIT_SECONDS);
        rt.close();
        runtimes[i] = null;
    }

    /**
     * Runs a task on node i's event loop and waits for it: tests reach into a node's state there,
     * where its parts expect to be called. The task must not call this cluster (it holds its lock).
     *
     * @param i a running node's index
     * @param task what to run
     */
    public synchronized void onLoop(final int i, final java.util.function.Consumer<Node> task) {
        check(i);
        if (runtimes[i] == null) {
            throw new IllegalStateException("node " + i + " is stopped");
        }
        final Node node = nodes[i];
        runtimes[i].runAndWait(() -> task.accept(node), WAIT_SECONDS);
    }

    /**
     * Starts node i again on the storage it had: same data, same incarnation.
     *
     * @param i a node index
     */
    public synchronized void restart(final int i) {
        check(i);
        stop(i);
        launch(i);
    }

    /**
     * Stops node i, replaces its storage with a fresh one and starts it: the node has lost its
     * data, so it mints a new incarnation.
     *
     * @param i a node index
     */
    public synchronized void wipe(final int i) {
        check(i);
        stop(i);
        storages[i].close();
        if (b.dataDirectory != null) {
            deleteTree(nodeDirectory(i));
        }
        storages[i] = openStorage(i);
        launch(i);
    }

    /**
     * Takes node {@code i} out of the ring for good: every running node streams the partitions it
     * gains from their old replicas (anti-entropy exchanges, rate-limited; writes meanwhile go to
     * old and new replicas), and node {@code i} stops only once every gainer told it that it holds
     * its partitions and it dropped its copies (a running node; a stopped one just leaves the ring).
     *
     * @param i the node's index
     * @throws IllegalStateException if it is the last member of the ring, or if it is stopped and
     *     holds the last running replica of a partition
     */
    public void decommission(final int i) {
        final NodeId id = leave(i);
        // The wait holds no lock, so that clients keep reading and writing while partitions move.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (pendingTransfers() > 0 || releasing(i) > 0 || moving() > 0) {
            if (System.nanoTime() > deadline) {
                throw new ArmatureException("partitions of " + id + " did not stream within " + WAIT_SECONDS + " s");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        // No node writes to it any more (none has a pending partition): a write that reached it
        // after its drop is dropped now, so it stops holding nothing.
        synchronized (this) {
            if (runtimes[i] != null) {
                ask(i, node -> {
                    node.streaming().sweep();
                    return 0;
                });
            }
        }
        stop(i);
    }

    /**
     * Asks running node {@code via} to make an operator's change (leave, remove, replace) through
     * the cluster, as {@code armature cluster leave|remove|replace} does: it relays the change to
     * the claimant, which installs the next ring; gossip spreads it and partitions move in the
     * background. Returns without waiting for the moves.
     *
     * @param via the index of the node asked
     * @param change the change
     * @return the ring the change makes from node {@code via}'s ring, or null if it already holds it
     * @throws IllegalArgumentException if the change does not apply to that node's ring
     */
    public Ring change(final int via, final io.armature.engine.membership.MembershipChange change) {
        return askLoop(via, node -> node.rings().change(change));
    }

    /**
     * @param i a running node's index
     * @return the gossip view node {@code i} holds (each member's status, heartbeat and ring epoch)
     */
    public io.armature.engine.membership.MembershipView view(final int i) {
        return askLoop(i, node -> node.gossip().view());
    }

    /** Runs {@code what} on running node i's event loop, without holding the cluster's lock while it runs. */
    private <T> T askLoop(final int i, final java.util.function.Function<Node, T> what) {
        final Node node;
        final NodeRuntime rt;
        synchronized (this) {
            check(i);
            node = nodes[i];
            rt = runtimes[i];
            if (rt == null) {
                throw new IllegalStateException(ids[i] + " is not running");
            }
        }
        final java.util.List<T> answer = new java.util.ArrayList<>(1);
        rt.runAndWait(() -> answer.add(what.apply(node)), WAIT_SECONDS);
        return answer.get(0);
    }

    private synchronized NodeId leave(final int i) {
        check(i);
        final Ring before = ring();
        final int n = b.settings.n();
        if (runtimes[i] == null) {
            for (final int p : before.partitionsReplicatedBy(ids[i], n)) {
                if (before.preferenceList(p, n).stream().noneMatch(o -> !o.equals(ids[i]) && isRunning(indexOf(o)))) {
                    throw new IllegalStateException("cannot decommission " + ids[i] + ": it is stopped and holds the last replica of partition " + p);
                }
            }
        }
        final Ring after = before.leave(ids[i]);
        // The operator's change, applied on every running node (each streams what it gains); a
        // stopped node picks the shared ring up when it restarts.
        for (int j = 0; j < nodes.length; j++) {
            if (runtimes[j] != null) {
                final Node node = nodes[j];
                runtimes[j].runAndWait(() -> node.rings().offer(after), WAIT_SECONDS);
            }
        }
        membership.ring = after;
        return ids[i];
    }

    private int pendingTransfers() {
        return sum(node -> node.streaming().pending());
    }

    /** @return partitions pending at some running node (some coordinator still writes to their old replicas) */
    private int moving() {
        return sum(node -> node.streaming().pendingPartitions().partitions().size());
    }

    /** @return what every running node says, added up (each asked on its own event loop) */
    private synchronized int sum(final java.util.function.ToIntFunction<Node> what) {
        int total = 0;
        for (int j = 0; j < nodes.length; j++) {
            total += runtimes[j] == null ? 0 : ask(j, what);
        }
        return total;
    }

    private synchronized int ask(final int j, final java.util.function.ToIntFunction<Node> what) {
        final Node node = nodes[j];
        final int[] answer = {0};
        runtimes[j].runAndWait(() -> answer[0] = what.applyAsInt(node), WAIT_SECONDS);
        return answer[0];
    }

    private synchronized int releasing(final int i) {
        return runtimes[i] == null ? 0 : ask(i, node -> node.streaming().releasing());
    }

    private synchronized int indexOf(final NodeId id) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j].equals(id)) {
                return j;
            }
        }
        throw new IllegalArgumentException(id.toString());
    }

    /**
     * Stops every node and closes every storage.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException failure = null;
        for (int i = 0; i < nodes.length; i++) {
            try {
                stop(i);
            } catch (final RuntimeException e) {
                failure = failure == null ? e : failure;
            }
            if (storages[i] != null) {
                storages[i].close();
            }
        }
        if (network != null) {
            LocalNetwork.unregister(name);
        }
        if (failure != null) {
            throw failure;
        }
    }

    synchronized Node runningNode(final int attempt) {
        // A node still joining routes by a provisional ring of itself alone: it must not coordinate.
        int running = 0;
        for (int i = 0; i < nodes.length; i++) {
            running += runtimes[i] != null && !nodes[i].rings().joining() ? 1 : 0;
        }
        if (running == 0) {
            throw new ClusterUnavailableException("no node of " + name + " is running");
        }
        int skip = Math.floorMod(attempt, running);
        for (int i = 0; i < nodes.length; i++) {
            if (runtimes[i] != null && !nodes[i].rings().joining() && skip-- == 0) {
                return nodes[i];
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private void launch(final int i) {
        launch(i, java.util.List.of(), membership);
    }

    private void launch(final int i, final java.util.List<Endpoint> seedList, final Membership base) {
        final NodeRuntime rt = new NodeRuntime(name + "-" + ids[i]);
        try {
            final NodeConfig config = NodeConfig.builder(ids[i], endpoints[i]).store(b.settings).partitions(b.partitions)
                .suspectAfterTimeouts(b.suspectAfterTimeouts).suspectRetry(b.suspectRetry).secret(b.secret)
                .repair(b.repair).recordCacheBytes(b.recordCacheBytes).seeds(seedList).build();
            final TransportConfig.Builder tc = TransportConfig.builder();
            b.transportProperties.forEach(tc::property);
            if (network != null) {
                tc.property("local.network", name);
            }
            final Node node = new Node(new NodeContext(config, storages[i], b.transport.create(tc.build()), Clock.system(), rt,
                seeds.split(), b.meters, base, null));
            rt.runAndWait(node::start, WAIT_SECONDS);
            nodes[i] = node;
            runtimes[i] = rt;
            if (!node.endpoint().equals(endpoints[i])) {
                endpoints[i] = node.endpoint();
                membership.publish(ids, endpoints);
            } else if (membership.endpoints == null || membership.endpointOf(ids[i]) == null) {
                membership.publish(ids, endpoints);
            }
        } catch (final RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    private StorageEngine openStorage(final int i) {
        final StorageConfig.Builder sc = StorageConfig.builder();
        if (b.dataDirectory != null) {
            sc.directory(nodeDirectory(i));
        }
        b.storageProperties.forEach(sc::property);
        return b.storage.open(sc.build());
    }

    private Path nodeDirectory(final int i) {
        return b.dataDirectory.resolve(ids[i].value());
    }

    private static void deleteTree(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot wipe " + dir, e);
        }
    }

    private void check(final int i) {
        if (i < 0 || i >= nodes.length) {
            throw new IndexOutOfBoundsException("node index " + i + " is not in 0.." + (nodes.length - 1));
        }
    }

    /**
     * @return the store settings every node uses
     */
    public StoreSettings settings() {
        return b.settings;
    }

    /**
     * @return the registry the nodes' meters go to
     */
    public MeterRegistry meters() {
        return b.meters;
    }
}
