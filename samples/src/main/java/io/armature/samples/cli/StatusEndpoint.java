package io.armature.samples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.armature.engine.membership.MemberState;
import io.armature.engine.membership.MembershipChange;
import io.armature.engine.membership.MembershipView;
import io.armature.engine.node.Node;
import io.armature.engine.repair.AntiEntropy;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.runtime.OffsetClock;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.transport.Endpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A node's HTTP endpoint, on TCP at its own listen address (the transport uses UDP, so the port
 * number is free for TCP). The engine's wire has no membership query, so the node process that
 * owns the node answers for it:
 * <ul>
 * <li>{@code GET /status}, {@code GET /status?metrics}: this node's view in {@link StatusText}'s
 *     format: the ring it routes by, each member's gossiped state and ring epoch, and its own load;
 * <li>{@code GET /health}: 200 while the node's event loop answers;
 * <li>{@code GET /ready}: 200 when the node holds a ring that names it and pulls no partition, else 503;
 * <li>{@code POST /cluster/stage?op=leave|remove|replace&node=ID[&by=ID]}, {@code GET /cluster/plan},
 *     {@code POST /cluster/commit}, {@code POST /cluster/clear}: ring changes staged on this node,
 *     shown, then made through the claimant (docs/operations.md).
 * </ul>
 * With a cluster secret, everything but {@code /health} and {@code /ready} must be signed ({@link StatusAuth}).
 */
final class StatusEndpoint implements AutoCloseable {
    private static final long LOOP_TIMEOUT_SECONDS = 5;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Node node;
    private final MeterRegistry meters;
    /** Changes staged by {@code cluster leave|remove|replace}, made by {@code cluster commit}; HTTP thread only. */
    private final List<MembershipChange> staged = new ArrayList<>();

    /** The node's clock when {@code node.clock-offset} is set (then {@code POST /control/clock-offset?millis=N} moves it), else null. */
    private final OffsetClock clock;

    private StatusEndpoint(final HttpServer server, final ExecutorService executor, final Node node, final MeterRegistry meters,
                           final OffsetClock clock) {
        this.server = server;
        this.executor = executor;
        this.node = node;
        this.meters = meters;
        this.clock = clock;
    }

    static StatusEndpoint start(final Endpoint listen, final Node node, final MeterRegistry meters) {
        return start(listen, node, meters, null);
    }

    /**
     * @param clock the node's clock when {@code node.clock-offset} is set: then {@code POST
     *     /control/clock-offset?millis=N} moves it (the chaos harness's clock jump), else null and no such path
     */
    static StatusEndpoint start(final Endpoint listen, final Node node, final MeterRegistry meters, final OffsetClock clock) {
        final HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(listen.host(), listen.port()), 16);
        } catch (final IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("cannot answer status on TCP " + listen + ": " + e.getMessage(),
                e instanceof IOException io ? io : new IOException(e));
        }
        // One thread: requests are rare, and staged changes need no lock.
        final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            final Thread t = new Thread(r, "armature-status-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        final StatusEndpoint endpoint = new StatusEndpoint(server, executor, node, meters, clock);
        server.createContext("/", endpoint::handle);
        server.start();
        return endpoint;
    }

    private record Answer(int code, String body) {
    }

    private void handle(final HttpExchange exchange) throws IOException {
        try (exchange) {
            final String path = exchange.getRequestURI().getPath();
            final String rawQuery = exchange.getRequestURI().getRawQuery();
            final String method = exchange.getRequestMethod();
            Answer answer;
            try {
                answer = route(exchange, method, path, rawQuery);
            } catch (final IllegalArgumentException | IllegalStateException e) {
                answer = new Answer(400, e.getMessage() + "\n");
            } catch (final RuntimeException e) {
                answer = new Answer(503, "the node did not answer: " + e + "\n");
            }
            final byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(answer.code(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private Answer route(final HttpExchange exchange, final String method, final String path, final String rawQuery) {
        if (path.equals("/health")) {
            return get(method, () -> onLoop(n -> n.isRunning()) ? new Answer(200, "ok\n") : new Answer(503, "stopped\n"));
        }
        if (path.equals("/ready")) {
            return get(method, () -> {
                final String why = onLoop(StatusEndpoint::notReady);
                return why == null ? new Answer(200, "ready\n") : new Answer(503, "not ready: " + why + "\n");
            });
        }
        final byte[] secret = node.config().secret();
        if (secret != null) {
            final String problem = StatusAuth.check(secret, method, path + (rawQuery == null ? "" : "?" + rawQuery),
                exchange.getRequestHeaders().getFirst(StatusAuth.TIME), exchange.getRequestHeaders().getFirst(StatusAuth.SIGNATURE),
                System.currentTimeMillis());
            if (problem != null) {
                return new Answer(401, problem + "\n");
            }
        }
        final Map<String, String> query = query(rawQuery);
        if (clock != null && path.equals("/control/clock-offset")) {
            if (!"POST".equals(method)) {
                return new Answer(405, "POST only\n");
            }
            final long millis;
            try {
                millis = Long.parseLong(query.getOrDefault("millis", ""));
            } catch (final NumberFormatException e) {
                return new Answer(400, "millis=N (a signed number of milliseconds) is needed\n");
            }
            clock.offsetMillis(millis);
            return new Answer(200, "clock-offset " + millis + "\n");
        }
        return switch (path) {
            case "/status" -> get(method, () -> new Answer(200, StatusText.format(snapshot(query.containsKey("metrics")))));
            case "/cluster/stage" -> post(method, () -> stage(query));
            case "/cluster/plan" -> get(method, () -> new Answer(200, plan()));
            case "/cluster/commit" -> post(method, this::commit);
            case "/cluster/clear" -> post(method, () -> {
                final int n = staged.size();
                staged.clear();
                return new Answer(200, "cleared " + n + " staged change" + (n == 1 ? "" : "s") + "\n");
            });
            default -> new Answer(404, "no such endpoint: " + path + "\n");
        };
    }

    private static Answer get(final String method, final java.util.function.Supplier<Answer> then) {
        return "GET".equals(method) ? then.get() : new Answer(405, "use GET\n");
    }

    private static Answer post(final String method, final java.util.function.Supplier<Answer> then) {
        return "POST".equals(method) ? then.get() : new Answer(405, "use POST\n");
    }

    private static Map<String, String> query(final String raw) {
        final Map<String, String> out = new TreeMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (final String kv : raw.split("&")) {
                final int eq = kv.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** @return null when ready, else why not (event loop) */
    private static String notReady(final Node n) {
        if (!n.isRunning()) {
            return "stopped";
        }
        if (n.rings().ringEpoch() == 0 || !n.rings().ring().members().contains(n.id())) {
            return "no ring names " + n.id();
        }
        final int in = n.streaming().pending();
        return in == 0 ? null : in + " inbound partition transfers pending";
    }

    private Answer stage(final Map<String, String> q) {
        final String op = q.getOrDefault("op", "");
        final MembershipChange.Op kind;
        try {
            kind = MembershipChange.Op.valueOf(op.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException("op must be leave, remove or replace, was '" + op + "'");
        }
        final String id = q.get("node");
        if (id == null) {
            throw new IllegalArgumentException("node is required");
        }
        final String by = q.get("by");
        final MembershipChange change = new MembershipChange(kind, new NodeId(id), by == null ? null : new NodeId(by));
        final Ring ring = onLoop(n -> n.membership().ring());
        Ring after = ring;
        for (final MembershipChange c : staged) {
            after = applied(c, after);
        }
        if (kind == MembershipChange.Op.LEAVE && !change.node().equals(node.id())
            && !onLoop(n -> n.failureDetector().isAvailable(change.node()))) {
            throw new IllegalStateException(change.node() + " is not available: it cannot stream its partitions; "
                + "use 'armature cluster remove " + change.node() + "' for a node gone for good");
        }
        if (change.applyTo(after) == null) {
            throw new IllegalArgumentException(change + " is already in the ring (epoch " + ring.epoch() + ")");
        }
        staged.add(change);
        return new Answer(200, "staged: " + change + " (" + staged.size() + " staged; 'armature cluster plan' shows the moves, "
            + "'armature cluster commit' makes them)\n");
    }

    private static Ring applied(final MembershipChange c, final Ring ring) {
        final Ring next = c.applyTo(ring);
        return next == null ? ring : next;
    }

    private String plan() {
        if (staged.isEmpty()) {
            return "no changes staged\n";
        }
        final Ring before = onLoop(n -> n.membership().ring());
        Ring after = before;
        final StringBuilder sb = new StringBuilder("staged changes:\n");
        for (final MembershipChange c : staged) {
            sb.append("  ").append(c).append('\n');
            after = applied(c, after);
        }
        final int n = node.config().store().n();
        sb.append("ring epoch ").append(before.epoch()).append(" -> ").append(after.epoch()).append(", members ")
            .append(String.join(",", before.members().stream().map(NodeId::value).toList())).append(" -> ")
            .append(String.join(",", after.members().stream().map(NodeId::value).toList())).append('\n');
        final Map<String, Integer> gains = new TreeMap<>();
        final Map<String, Integer> losses = new TreeMap<>();
        int moving = 0;
        final StringBuilder moves = new StringBuilder();
        for (int p = 0; p < before.partitionCount(); p++) {
            final List<NodeId> was = before.preferenceList(p, n);
            final List<NodeId> will = after.preferenceList(p, n);
            if (new TreeSet<>(was).equals(new TreeSet<>(will))) {
                continue;
            }
            moving++;
            for (final NodeId g : will) {
                if (!was.contains(g)) {
                    gains.merge(g.value(), 1, Integer::sum);
                }
            }
            for (final NodeId l : was) {
                if (!will.contains(l)) {
                    losses.merge(l.value(), 1, Integer::sum);
                }
            }
            moves.append("  partition ").append(p).append(": ").append(ids(was)).append(" -> ").append(ids(will)).append('\n');
        }
        sb.append(moving).append(" of ").append(before.partitionCount()).append(" partitions change replicas\n");
        gains.forEach((id, k) -> sb.append("  ").append(id).append(" gains ").append(k).append('\n'));
        losses.forEach((id, k) -> sb.append("  ").append(id).append(" releases ").append(k).append('\n'));
        sb.append("moves:\n").append(moves);
        return sb.toString();
    }

    private static String ids(final List<NodeId> nodes) {
        return String.join(",", nodes.stream().map(NodeId::value).toList());
    }

    private Answer commit() {
        if (staged.isEmpty()) {
            throw new IllegalStateException("no changes staged: stage one with 'armature cluster leave|remove|replace'");
        }
        final StringBuilder sb = new StringBuilder();
        for (final MembershipChange c : List.copyOf(staged)) {
            final Ring next = onLoop(n -> n.rings().change(c));
            staged.remove(c);
            sb.append("committed: ").append(c).append(next == null ? " (already in the ring)" : " -> ring epoch " + next.epoch())
                .append('\n');
        }
        return new Answer(200, sb.toString());
    }

    /** Runs on the node's event loop: the engine's state is single-threaded. */
    private <T> T onLoop(final Function<Node, T> what) {
        final CompletableFuture<T> f = new CompletableFuture<>();
        node.context().scheduler().execute(() -> {
            try {
                f.complete(what.apply(node));
            } catch (final RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        try {
            return f.get(LOOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (final java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(String.valueOf(e.getCause()));
        } catch (final java.util.concurrent.TimeoutException e) {
            throw new java.io.UncheckedIOException(new IOException("the event loop did not answer in " + LOOP_TIMEOUT_SECONDS + " s"));
        }
    }

    private record LoopView(ClusterStatus status, List<Integer> held, ClusterStatus.Load partial) {
    }

    private ClusterStatus snapshot(final boolean withMetrics) {
        final LoopView v = onLoop(n -> view(n));
        // The storage and the meters are thread-safe: counted here, not on the event loop.
        long keys = 0;
        long bytes = 0;
        for (final int p : v.held()) {
            final long[] kb = {0, 0};
            node.storage().scan(Keyspace.partition(p), null, null, (k, val) -> {
                kb[0]++;
                kb[1] += k.length + val.length;
                return true;
            });
            keys += kb[0];
            bytes += kb[1];
        }
        final Map<String, Long> hints = new TreeMap<>();
        for (final NodeId owner : node.replica().hintOwners()) {
            final long[] count = {0};
            node.replica().scanHints(owner, (k, val) -> {
                count[0]++;
                return true;
            });
            if (count[0] > 0) {
                hints.put(owner.value(), count[0]);
            }
        }
        final ClusterStatus.Load p = v.partial();
        final ClusterStatus.Load load = new ClusterStatus.Load(p.ringEpoch(), p.ready(), p.transfersIn(), p.transfersOut(), p.releasing(),
            hints, keys, bytes, count(AntiEntropy.EXCHANGES), count(AntiEntropy.KEYS_REPAIRED));
        final ClusterStatus s = v.status();
        return new ClusterStatus(s.reportedBy(), s.ringEpoch(), s.partitions(), s.members(),
            withMetrics ? Map.of(s.reportedBy(), StatusText.samples(meters)) : Map.of(), Map.of(s.reportedBy(), load));
    }

    private long count(final String name) {
        final Counter c = meters.find(name).tag("node", node.id().value()).counter();
        return c == null ? 0 : (long) c.count();
    }

    /** The node's view, read on its event loop. */
    private static LoopView view(final Node n) {
        final Ring ring = n.membership().ring();
        final MembershipView gossip = n.gossip().view();
        final int replicas = n.config().store().n();
        final TreeSet<NodeId> ids = new TreeSet<>(ring.members());
        for (final MemberState s : gossip.members()) {
            // Generation 0 is a placeholder for a member not heard from yet; a node outside the ring shows once it spoke.
            if (s.generation() > 0 || ring.members().contains(s.node())) {
                ids.add(s.node());
            }
        }
        final List<ClusterStatus.Member> members = new ArrayList<>();
        for (final NodeId id : ids) {
            final boolean self = id.equals(n.id());
            final MemberState g = self ? null : gossip.get(id);
            final Endpoint e = self ? n.endpoint() : n.membership().endpointOf(id);
            final MemberState.Status status = self ? n.gossip().status() : g == null ? MemberState.Status.UP : g.status();
            final boolean inRing = ring.members().contains(id);
            String state = status.name().toLowerCase(Locale.ROOT);
            if (!self && status != MemberState.Status.LEFT && !n.failureDetector().isAvailable(id)) {
                state = "suspected";
            }
            final List<Integer> owned = new ArrayList<>();
            int replicated = 0;
            if (inRing) {
                for (final int p : ring.partitionsOwnedBy(id)) {
                    owned.add(p);
                }
                replicated = ring.partitionsReplicatedBy(id, replicas).length;
            }
            final long epoch = self ? n.rings().ringEpoch() : g == null || g.generation() == 0 ? -1 : g.ringEpoch();
            // The ring's zone is the one placement uses; a member outside the ring shows the zone it gossips.
            final String zone = inRing ? ring.zoneOf(id) : self ? n.config().zone() : g == null ? "" : g.zone();
            members.add(new ClusterStatus.Member(id.value(), e == null ? "?" : e.toString(), state, owned, epoch, replicated, inRing, zone));
        }
        // Partitions this node holds: those it replicates, and those it lost but keeps until their gainers hold them.
        final TreeSet<Integer> held = new TreeSet<>();
        for (final int p : ring.partitionsReplicatedBy(n.id(), replicas)) {
            held.add(p);
        }
        held.addAll(n.streaming().pendingPartitions().lostBy(n.id()));
        final ClusterStatus.Load partial = new ClusterStatus.Load(n.rings().ringEpoch(), notReady(n) == null, n.streaming().pending(),
            n.transfersOut(),
            n.streaming().releasing(), Map.of(), 0, 0, 0, 0);
        return new LoopView(new ClusterStatus(n.id().value(), ring.epoch(), ring.partitionCount(), members, Map.of()),
            List.copyOf(held), partial);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
