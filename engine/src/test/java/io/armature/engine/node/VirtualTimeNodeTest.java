package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.api.Context;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.engine.config.NodeConfig;
import io.armature.engine.config.StoreSettings;
import io.armature.engine.membership.StaticMembership;
import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.storage.memory.MemoryStorageProvider;
import io.armature.spi.runtime.Cancellable;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one thread under a virtual clock: the node's logic takes time, timers and
 * randomness only from its context, so a request's whole life, deadline included, runs without a
 * real thread or a real wait.
 */
class VirtualTimeNodeTest {
    /**
     * A transport that asks {@code hook} first about every send: its status is the send's, or,
     * when it answers null, the message goes through {@code inner}.
     */
    static Transport intercepting(final Transport inner, final java.util.function.BiFunction<Endpoint, ByteBuffer, SendStatus> hook) {
        return new Transport() {
            @Override
            public Endpoint bind(final Endpoint local, final MessageHandler handler) {
                return inner.bind(local, handler);
            }

            @Override
            public SendStatus send(final Endpoint to, final ByteBuffer message) {
                final SendStatus status = hook.apply(to, message);
                return status != null ? status : inner.send(to, message);
            }

            @Override
            public int maxMessageSize() {
                return inner.maxMessageSize();
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /** One virtual clock and timer queue for every node; ties run in scheduling order. */
    static final class World implements Clock, Scheduler {
        private record Task(long at, long seq, Runnable run) {
        }

        private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at
            ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
        private long now;
        private long seq;
        final Map<Endpoint, MessageHandler> bound = new HashMap<>();
        final java.util.Set<Endpoint> down = new java.util.HashSet<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long currentTimeMillis() {
            return 1_700_000_000_000L + now / 1_000_000;
        }

        @Override
        public Cancellable schedule(final long delayNanos, final Runnable task) {
            final boolean[] cancelled = {false};
            tasks.add(new Task(now + delayNanos, seq++, () -> {
                if (!cancelled[0]) {
                    task.run();
                }
            }));
            return () -> cancelled[0] = true;
        }

        @Override
        public Cancellable schedulePeriodic(final long initialDelayNanos, final long periodNanos, final Runnable task) {
            throw new UnsupportedOperationException("not used by the node yet");
        }

        @Override
        public void execute(final Runnable task) {
            schedule(0, task);
        }

        void runUntil(final CompletableFuture<?> f, final long maxNanos) {
            while (!f.isDone() && !tasks.isEmpty() && tasks.peek().at <= maxNanos) {
                final Task t = tasks.poll();
                now = Math.max(now, t.at);
                t.run.run();
            }
        }

        Transport transport() {
            return new Transport() {
                private Endpoint self;

                @Override
                public Endpoint bind(final Endpoint local, final MessageHandler handler) {
                    self = local;
                    bound.put(local, handler);
                    return local;
                }

                @Override
                public SendStatus send(final Endpoint to, final ByteBuffer message) {
                    final MessageHandler h = bound.get(to);
                    if (h == null || down.contains(to) || down.contains(self)) {
                        return SendStatus.NOT_CONNECTED;
                    }
                    final byte[] copy = new byte[message.remaining()];
                    message.duplicate().get(copy);
                    // 100 us of network latency, in virtual time.
                    schedule(100_000, () -> h.onMessage(ByteBuffer.wrap(copy)));
                    return SendStatus.SENT;
                }

                @Override
                public int maxMessageSize() {
                    return 1 << 21;
                }

                @Override
                public void close() {
                    bound.remove(self);
                }
            };
        }
    }

    @Test
    void requestsRunToCompletionAndToTheirDeadlineInVirtualTime() throws Exception {
        final World world = new World();
        final Map<NodeId, String> zones = new LinkedHashMap<>();
        final Map<NodeId, Endpoint> endpoints = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            zones.put(new NodeId("v" + i), "");
            endpoints.put(new NodeId("v" + i), new Endpoint("v" + i, 1));
        }
        final StaticMembership membership = new StaticMembership(Ring.create(64, zones), endpoints);
        final StoreSettings settings = StoreSettings.builder().requestTimeout(Duration.ofSeconds(2)).build();
        final Node[] nodes = new Node[3];
        for (int i = 0; i < 3; i++) {
            final NodeId id = new NodeId("v" + i);
            nodes[i] = new Node(new NodeContext(NodeConfig.builder(id, endpoints.get(id)).store(settings).partitions(64).build(),
                new MemoryStorageProvider().open(StorageConfig.builder().build()), world.transport(), world, world,
                new SplittableRandom(i), new SimpleMeterRegistry(), membership, null));
            nodes[i].start();
        }
        final byte[] key = "virtual".getBytes(StandardCharsets.UTF_8);
        final CompletableFuture<ReadResult<byte[]>> put = nodes[0].client().put(key, new byte[] {42}, Context.empty());
        world.runUntil(put, Long.MAX_VALUE);
        assertEquals(1, put.get().values().size());
        assertTrue(world.nanoTime() < 1_000_000, "a put costs two virtual hops, not real time: " + world.nanoTime());

        world.down.add(new Endpoint("v1", 1));
        world.down.add(new Endpoint("v2", 1));
        final long start = world.nanoTime();
        final CompletableFuture<ReadResult<byte[]>> get = nodes[0].client().get(key);
        world.runUntil(get, Long.MAX_VALUE);
        final ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, get::get);
        assertTrue(e.getCause() instanceof QuorumNotReachedException, String.valueOf(e.getCause()));
        assertEquals(Duration.ofSeconds(2).toNanos(), world.nanoTime() - start, "failed exactly at the virtual deadline");
        assertFalse(nodes[0].coordinator().pendingCount() > 0);
    }
}
