package io.armature.testkit.sim;

import io.armature.api.Consistency;
import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;
import io.armature.testkit.sim.check.ReplicaState;
import io.armature.testkit.sim.history.Contexts;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A tiny replicated store for testing the simulator itself before and besides the real engine:
 * dotted values under one causal clock per key, quorum reads and writes over the simulated
 * transport, read repair and a periodic push of every key to its replicas. {@code lww} makes it
 * resolve conflicts by last writer wins, a bug the checker must catch.
 */
final class ToyEngine implements EngineBinding {
    private static final Keyspace DATA = Keyspace.partition(0);
    private static final byte[] INCARNATION = "incarnation".getBytes(StandardCharsets.US_ASCII);

    private final Scenario scenario;
    private final boolean lww;

    ToyEngine(final Scenario scenario, final boolean lww) {
        this.scenario = scenario;
        this.lww = lww;
    }

    /** One key's versions: dot "actor:counter" to value (null for a tombstone), and the clock. */
    static final class Versions {
        final TreeMap<String, String> values = new TreeMap<>();
        final TreeMap<String, Long> clock = new TreeMap<>();

        static boolean covered(final Map<String, Long> clock, final String dot) {
            final int c = dot.lastIndexOf(':');
            return clock.getOrDefault(dot.substring(0, c), 0L) >= Long.parseLong(dot.substring(c + 1));
        }

        static Versions sync(final Versions a, final Versions b) {
            final Versions out = new Versions();
            a.values.forEach((d, v) -> {
                if (b.values.containsKey(d) || !covered(b.clock, d)) {
                    out.values.put(d, v);
                }
            });
            b.values.forEach((d, v) -> {
                if (a.values.containsKey(d) || !covered(a.clock, d)) {
                    out.values.put(d, v);
                }
            });
            out.clock.putAll(a.clock);
            b.clock.forEach((k, v) -> out.clock.merge(k, v, Math::max));
            return out;
        }

        byte[] encode() {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(values.size());
                for (final Map.Entry<String, String> e : values.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeBoolean(e.getValue() == null);
                    out.writeUTF(e.getValue() == null ? "" : e.getValue());
                }
                out.writeInt(clock.size());
                for (final Map.Entry<String, Long> e : clock.entrySet()) {
                    out.writeUTF(e.getKey());
                    out.writeLong(e.getValue());
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }

        static Versions decode(final DataInputStream in) throws IOException {
            final Versions v = new Versions();
            for (int i = in.readInt(); i > 0; i--) {
                final String dot = in.readUTF();
                final boolean tomb = in.readBoolean();
                final String value = in.readUTF();
                v.values.put(dot, tomb ? null : value);
            }
            for (int i = in.readInt(); i > 0; i--) {
                v.clock.put(in.readUTF(), in.readLong());
            }
            return v;
        }

        static Versions decode(final byte[] b) {
            try {
                return decode(new DataInputStream(new java.io.ByteArrayInputStream(b)));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> live() {
            final List<String> l = new ArrayList<>();
            values.values().forEach(v -> {
                if (v != null) {
                    l.add(v);
                }
            });
            return l;
        }

        Context context() {
            return Contexts.of(clock);
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof Versions && ((Versions) o).values.equals(values) && ((Versions) o).clock.equals(clock);
        }

        @Override
        public int hashCode() {
            return values.hashCode() * 31 + clock.hashCode();
        }
    }

    @Override
    public List<String> owners(final String key) {
        final int s = scenario.nodes();
        final int first = Math.floorMod(key.hashCode(), s);
        final List<String> o = new ArrayList<>();
        for (int i = 0; i < Math.min(scenario.n(), s); i++) {
            o.add("n" + ((first + i) % s + 1));
        }
        return o;
    }

    @Override
    public ReplicaState read(final StorageEngine storage, final String key) {
        final byte[] b = storage.get(DATA, key.getBytes(StandardCharsets.UTF_8));
        if (b == null) {
            return null;
        }
        final Versions v = Versions.decode(b);
        return new ReplicaState(v.live(), v.values.size() - v.live().size(), v.context(), v);
    }

    @Override
    public Running start(final SimNode node, final List<SimNode> all) {
        return new ToyNode(node, all);
    }

    private final class ToyNode implements Running, KvClient {
        private final SimNode node;
        private final List<SimNode> all;
        private final StorageEngine storage;
        private final String actor;
        private final Map<Long, Consumer<DataInputStream>> waiting = new HashMap<>();
        private final io.armature.spi.runtime.Cancellable pusher;
        private long nextRequest;

        ToyNode(final SimNode node, final List<SimNode> all) {
            this.node = node;
            this.all = all;
            this.storage = node.storage();
            byte[] inc = storage.get(Keyspace.meta(), INCARNATION);
            if (inc == null) {
                inc = ByteBuffer.allocate(8).putLong(node.nextRandom().nextLong(1, 1_000_000)).array();
                storage.put(Keyspace.meta(), INCARNATION, inc);
            }
            this.actor = node.name() + "/" + ByteBuffer.wrap(inc).getLong();
            node.transport().bind(node.endpoint(), m -> {
                final byte[] copy = new byte[m.remaining()];
                m.get(copy);
                node.scheduler().execute(() -> receive(copy));
            });
            pusher = node.scheduler().schedulePeriodic(1_000_000_000L, 1_000_000_000L, this::pushAll);
        }

        private Versions load(final String key) {
            final byte[] b = storage.get(DATA, key.getBytes(StandardCharsets.UTF_8));
            return b == null ? new Versions() : Versions.decode(b);
        }

        private Versions merge(final String key, final Versions incoming) {
            final Versions mine = load(key);
            Versions merged = Versions.sync(mine, incoming);
            if (lww && merged.live().size() > 1) {
                final String last = merged.values.lastKey();
                merged.values.keySet().removeIf(d -> !d.equals(last));
            }
            if (!merged.equals(mine)) {
                storage.put(DATA, key.getBytes(StandardCharsets.UTF_8), merged.encode());
            }
            return merged;
        }

        private void send(final SimNode to, final Consumer<DataOutputStream> body) {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                body.accept(out);
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
            node.transport().send(to.endpoint(), ByteBuffer.wrap(bytes.toByteArray()));
        }

        private List<SimNode> replicas(final String key) {
            final List<SimNode> r = new ArrayList<>();
            for (final String name : owners(key)) {
                r.add(all.get(Integer.parseInt(name.substring(1)) - 1));
            }
            return r;
        }

        private void receive(final byte[] bytes) {
            try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
                final int type = in.readByte();
                final long req = in.readLong();
                final int from = in.readInt();
                if (type == 'R') {
                    final Consumer<DataInputStream> w = waiting.get(req);
                    if (w != null) {
                        w.accept(in);
                    }
                    return;
                }
                final String key = in.readUTF();
                final Versions v = type == 'W' ? merge(key, Versions.decode(in)) : load(key);
                if (req >= 0) {
                    send(all.get(from), out -> {
                        try {
                            out.writeByte('R');
                            out.writeLong(req);
                            out.writeInt(node.index());
                            out.write(v.encode());
                        } catch (final IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void request(final SimNode to, final long req, final char type, final String key, final Versions v) {
            send(to, out -> {
                try {
                    out.writeByte(type);
                    out.writeLong(req);
                    out.writeInt(node.index());
                    out.writeUTF(key);
                    if (v != null) {
                        out.write(v.encode());
                    }
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }

        private void pushAll() {
            storage.scan(DATA, null, null, (k, val) -> {
                final String key = new String(k, StandardCharsets.UTF_8);
                for (final SimNode r : replicas(key)) {
                    if (r != node) {
                        request(r, -1, 'W', key, Versions.decode(val));
                    }
                }
                return true;
            });
        }

        /** Sends to every replica, completes once {@code needed} answered (this node counts if it is one). */
        private CompletableFuture<ReadResult<byte[]>> quorum(final String op, final String key, final char type, final Versions write,
                                                            final int needed, final Versions start) {
            final CompletableFuture<ReadResult<byte[]>> f = new CompletableFuture<>();
            final long req = nextRequest++;
            final Versions[] acc = {start};
            final int[] got = {0};
            final Runnable check = () -> {
                if (got[0] >= needed && !f.isDone()) {
                    waiting.remove(req);
                    if (type == 'G') {
                        for (final SimNode r : replicas(key)) {
                            request(r, -1, 'W', key, acc[0]);
                        }
                    }
                    final List<byte[]> vals = new ArrayList<>();
                    acc[0].live().forEach(s -> vals.add(s.getBytes(StandardCharsets.UTF_8)));
                    f.complete(ReadResult.of(vals, acc[0].context()));
                }
            };
            waiting.put(req, in -> {
                try {
                    acc[0] = Versions.sync(acc[0], Versions.decode(in));
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
                got[0]++;
                check.run();
            });
            for (final SimNode r : replicas(key)) {
                request(r, req, type, key, write);
            }
            node.scheduler().schedule(500_000_000L, () -> {
                if (!f.isDone()) {
                    waiting.remove(req);
                    f.completeExceptionally(new QuorumNotReachedException(op, needed, got[0]));
                }
            });
            return f;
        }

        private CompletableFuture<ReadResult<byte[]>> write(final String key, final String value, final Context ctx, final int w) {
            final Versions mine = load(key);
            final Map<String, Long> c = Contexts.entries(ctx);
            final Versions next = new Versions();
            mine.values.forEach((d, v) -> {
                if (!Versions.covered(c, d)) {
                    next.values.put(d, v);
                }
            });
            next.clock.putAll(mine.clock);
            c.forEach((k, v) -> next.clock.merge(k, v, Math::max));
            final long counter = mine.clock.getOrDefault(actor, 0L) + 1;
            next.clock.put(actor, counter);
            next.values.put(actor + ":" + counter, value);
            storage.put(DATA, key.getBytes(StandardCharsets.UTF_8), next.encode());
            return quorum("put", key, 'W', next, w, next);
        }

        @Override
        public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency c) {
            return quorum("get", new String(key, StandardCharsets.UTF_8), 'G', null, c.r(), new Versions());
        }

        @Override
        public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context, final Consistency c) {
            return write(new String(key, StandardCharsets.UTF_8), new String(value, StandardCharsets.UTF_8), context, c.w());
        }

        @Override
        public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context, final Consistency c) {
            return write(new String(key, StandardCharsets.UTF_8), null, context, c.w());
        }

        @Override
        public KvClient client() {
            return this;
        }

        @Override
        public void stop() {
            pusher.cancel();
            node.transport().close();
        }

        @Override
        public void close() {
        }
    }
}
