package io.armature.samples.demo;

import io.armature.api.Codec;
import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import io.armature.api.TypedKvClient;
import io.armature.engine.cluster.EmbeddedCluster;
import io.armature.engine.cluster.EmbeddedClusterBuilder;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.metrics.EngineMetrics;
import io.armature.engine.node.Node;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.samples.cart.Cart;
import io.armature.samples.cart.CartCodec;
import io.armature.samples.cart.ShoppingCartApp;
import io.armature.samples.cli.TempDirs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The narrated tour behind {@code armature demo}: five nodes in this JVM, quorum writes and
 * reads, two concurrent cart updates that become siblings and merge, a node stopped while writes
 * go on and caught up when it is back, and the ring. A command-line program, so it reads the
 * wall clock and polls with deadlines.
 */
public final class Demo {
    /** Every step's title, in order; the demo test checks the output names each. */
    public static final List<String> STEPS = List.of(
        "start a 5-node cluster",
        "write and read with N=3, R=2, W=2",
        "concurrent cart updates become siblings",
        "a node stops, writes go on",
        "the node is back and catches up",
        "the ring");

    private static final int NODES = 5;
    private static final long CATCH_UP_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final Codec<String> UTF8 = Codec.utf8();

    private final PrintStream out;
    private final String storage;
    private final String transport;
    private int step;

    /**
     * @param out where the narration goes
     * @param storage storage plugin id ({@code bdb} by default)
     * @param transport transport plugin id ({@code aeron} by default)
     */
    public Demo(final PrintStream out, final String storage, final String transport) {
        this.out = out;
        this.storage = storage;
        this.transport = transport;
    }

    /**
     * Runs the whole tour and removes everything it created.
     */
    public void run() {
        final long started = System.nanoTime();
        final Path dir = TempDirs.create("armature-demo-");
        final Path aeronDir = aeronDirectory();
        final MeterRegistry meters = new SimpleMeterRegistry();
        try {
            heading();
            final EmbeddedClusterBuilder builder = EmbeddedCluster.builder().nodes(NODES).storage(storage).transport(transport)
                .dataDirectory(dir).settings(StoreSettings.defaults()).meters(meters);
            if ("aeron".equals(transport)) {
                builder.transportProperty("aeron.dir", aeronDir.toString());
            }
            try (EmbeddedCluster cluster = builder.start()) {
                say("storage '%s' in %s, transport '%s'", storage, dir, transport);
                for (int i = 0; i < NODES; i++) {
                    say("  %s listens on %s", cluster.nodeId(i), cluster.endpoint(i));
                }
                quorum(cluster);
                cart(cluster);
                handoff(cluster, meters);
                ring(cluster);
            }
        } finally {
            TempDirs.delete(dir);
        }
        out.println();
        say("removed %s%s", dir, "aeron".equals(transport)
            ? (Files.exists(aeronDir) ? "; the Aeron directory " + aeronDir + " is still there" : " and the Aeron directory " + aeronDir)
            : "");
        say("done in %.1f s", (System.nanoTime() - started) / 1e9);
    }

    private void quorum(final EmbeddedCluster cluster) {
        heading();
        final byte[] key = bytes("greeting");
        final Ring ring = cluster.ring();
        say("'greeting' lives in partition %d; its replicas (preference list) are %s",
            ring.partitionForKey(key), ring.preferenceList(ring.partitionForKey(key), 3));
        final ReadResult<byte[]> put = cluster.client(0).blocking().put(key, bytes("hello, dynamo"), Context.empty());
        say("put 'greeting' = 'hello, dynamo' through %s: acknowledged by W=2 replicas, context %s",
            cluster.nodeId(0), put.context().toToken());
        final ReadResult<byte[]> get = cluster.client(4).blocking().get(key);
        say("get 'greeting' through %s: %s (R=2 replicas answered), context %s",
            cluster.nodeId(4), texts(get), get.context().toToken());
    }

    private void cart(final EmbeddedCluster cluster) {
        heading();
        final TypedKvClient<String, Cart> phone = cluster.client(1).typed(UTF8, new CartCodec());
        final TypedKvClient<String, Cart> laptop = cluster.client(3).typed(UTF8, new CartCodec());
        final ReadResult<Cart> before = phone.get("cart:alice").join();
        say("Alice's phone and laptop both read her empty cart (same context)");
        phone.put("cart:alice", Cart.empty().add("book", 1), before.context()).join();
        laptop.put("cart:alice", Cart.empty().add("lamp", 2), before.context()).join();
        say("the phone adds 'book' through %s, the laptop adds 'lamp' through %s, each with that context",
            cluster.nodeId(1), cluster.nodeId(3));
        final ReadResult<Cart> siblings = cluster.client(2).typed(UTF8, new CartCodec()).get("cart:alice").join();
        final List<String> each = new ArrayList<>();
        for (final Cart c : siblings.values()) {
            each.add(c.items().toString());
        }
        say("a read now returns %d siblings: %s (neither write saw the other, so neither wins)", siblings.values().size(),
            String.join(" and ", each));
        final ShoppingCartApp app = new ShoppingCartApp(cluster.client(2), new SplittableRandom(7));
        final var merged = app.add("cart:alice", "pen").join();
        say("the cart app adds 'pen': it merges the siblings with CartResolver and writes with the read's context");
        final ReadResult<Cart> after = cluster.client(0).typed(UTF8, new CartCodec()).get("cart:alice").join();
        say("now %d value: %s", after.values().size(), merged);
        final var removed = app.remove("cart:alice", "lamp").join();
        say("removing 'lamp' leaves %s; merging with the older siblings cannot bring it back (observed-remove set)", removed);
    }

    private void handoff(final EmbeddedCluster cluster, final MeterRegistry meters) {
        heading();
        final byte[] key = bytes("counter");
        final Ring ring = cluster.ring();
        final int partition = ring.partitionForKey(key);
        final List<NodeId> replicas = ring.preferenceList(partition, 3);
        final int coordinator = indexOf(cluster, replicas.get(0));
        final int victim = indexOf(cluster, replicas.get(2));
        final KvClient client = cluster.client(coordinator);
        client.blocking().put(key, bytes("0"), Context.empty());
        cluster.stop(victim);
        say("'counter' is replicated on %s; %s stops", replicas, cluster.nodeId(victim));
        final double hintsBefore = sum(meters, EngineMetrics.HINTS_SENT);
        String last = "0";
        int writes = 0;
        // Keep writing for a moment: the coordinator suspects the stopped node after its replica
        // requests time out (Dynamo 4.8.3), and from then on sends its copy to a stand-in.
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (writes < 5 || sum(meters, EngineMetrics.HINTS_SENT) == hintsBefore && System.nanoTime() < until) {
            final ReadResult<byte[]> read = client.blocking().get(key);
            last = Integer.toString(Integer.parseInt(texts(read).get(0)) + 1);
            client.blocking().put(key, bytes(last), read.context());
            writes++;
            pause(100);
        }
        final double hints = sum(meters, EngineMetrics.HINTS_SENT) - hintsBefore;
        say("%d read-modify-writes through %s all reached W=2 with %s down; 'counter' = %s", writes, cluster.nodeId(coordinator),
            cluster.nodeId(victim), last);
        if (hints > 0) {
            say("once %s was suspected, %.0f copies went to a stand-in outside the preference list, with a hint naming it (sloppy quorum)",
                cluster.nodeId(victim), hints);
        } else {
            say("the two live replicas acknowledged every write; no stand-in was used");
        }

        heading();
        cluster.restart(victim);
        say("%s is back on its old storage and holds %s", cluster.nodeId(victim), localValues(cluster, victim, partition, key));
        if (await(cluster, victim, partition, key, last)) {
            say("%s caught up by hinted handoff: it holds '%s'", cluster.nodeId(victim), last);
            return;
        }
        say("the hints were not delivered within %d s; a read with R=3 repairs it instead",
            TimeUnit.NANOSECONDS.toSeconds(CATCH_UP_NANOS));
        final ReadResult<byte[]> all = client.blocking().get(key, Consistency.defaults().withR(3));
        say("get with R=3 through %s: %s", cluster.nodeId(coordinator), texts(all));
        if (await(cluster, victim, partition, key, last)) {
            say("%s caught up by read repair: it holds '%s'", cluster.nodeId(victim), last);
        } else {
            say("%s is still behind (%s); anti-entropy would catch it up", cluster.nodeId(victim),
                localValues(cluster, victim, partition, key));
        }
    }

    private void ring(final EmbeddedCluster cluster) {
        heading();
        final Ring ring = cluster.ring();
        say("epoch %d, %d partitions; each node owns about Q/S of them and replicates about N*Q/S", ring.epoch(),
            ring.partitionCount());
        for (int i = 0; i < NODES; i++) {
            final NodeId id = cluster.nodeId(i);
            final int[] owned = ring.partitionsOwnedBy(id);
            final List<Integer> list = new ArrayList<>();
            for (final int p : owned) {
                list.add(p);
            }
            String ranges = Ranges.of(list);
            if (ranges.length() > 60) {
                ranges = ranges.substring(0, ranges.lastIndexOf(',', 60)) + ",...";
            }
            say("  %s owns %3d, replicates %3d: %s", id, owned.length, ring.partitionsReplicatedBy(id, 3).length, ranges);
        }
    }

    private boolean await(final EmbeddedCluster cluster, final int node, final int partition, final byte[] key, final String expected) {
        final long deadline = System.nanoTime() + CATCH_UP_NANOS;
        while (System.nanoTime() < deadline) {
            if (localValues(cluster, node, partition, key).equals(List.of(expected))) {
                return true;
            }
            if (!pause(50)) {
                return false;
            }
        }
        return false;
    }

    private static boolean pause(final long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What one node holds for a key, read on the node's own event loop (engine state is single-threaded). */
    private static List<String> localValues(final EmbeddedCluster cluster, final int i, final int partition, final byte[] key) {
        final Node node = cluster.node(i);
        final CompletableFuture<List<String>> f = new CompletableFuture<>();
        node.context().scheduler().execute(() -> {
            try {
                final VersionSet set = node.replica().read(partition, key);
                final List<String> values = new ArrayList<>();
                if (set != null) {
                    for (final Value v : set.liveValues()) {
                        values.add(new String(v.data(), StandardCharsets.UTF_8));
                    }
                }
                f.complete(values);
            } catch (final RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f.orTimeout(5, TimeUnit.SECONDS).join();
    }

    private static int indexOf(final EmbeddedCluster cluster, final NodeId id) {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.nodeId(i).equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException(id + " is not in the cluster");
    }

    private static double sum(final MeterRegistry meters, final String name) {
        return meters.find(name).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static List<String> texts(final ReadResult<byte[]> r) {
        return r.map(v -> new String(v, StandardCharsets.UTF_8)).values();
    }

    private static byte[] bytes(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void heading() {
        step++;
        out.printf(Locale.ROOT, "%n== %d/%d %s%n", step, STEPS.size(), STEPS.get(step - 1));
    }

    private void say(final String format, final Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
    }

    /** The demo's own Aeron directory, so it can tell that it is gone at the end (docs/platform-notes.md, trap 4). */
    private static Path aeronDirectory() {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("armature-demo-aeron-" + ProcessHandle.current().pid());
    }
}
