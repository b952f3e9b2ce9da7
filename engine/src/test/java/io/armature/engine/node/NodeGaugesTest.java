package io.armature.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.RecordVisitor;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageStats;
import io.armature.spi.storage.WriteBatch;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NodeGaugesTest {

    /** A storage that reports what the test sets, and does nothing else. */
    private static final class Reporting implements StorageEngine {
        final AtomicReference<StorageStats> stats = new AtomicReference<>(StorageStats.NONE);

        @Override
        public StorageStats stats() {
            return stats.get();
        }

        @Override
        public Durability durability() {
            return Durability.NONE;
        }

        @Override
        public byte[] get(final Keyspace keyspace, final byte[] key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void put(final Keyspace keyspace, final byte[] key, final byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean delete(final Keyspace keyspace, final byte[] key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(final WriteBatch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void scan(final Keyspace keyspace, final byte[] fromInclusive, final byte[] toExclusive, final RecordVisitor visitor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void drop(final Keyspace keyspace) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    /** A transport that reports what the test sets (or nothing: the SPI's default). */
    private static class Quiet implements Transport {
        @Override
        public Endpoint bind(final Endpoint local, final MessageHandler handler) {
            return local;
        }

        @Override
        public SendStatus send(final Endpoint to, final ByteBuffer message) {
            return SendStatus.SENT;
        }

        @Override
        public int maxMessageSize() {
            return 1024;
        }

        @Override
        public void close() {
        }
    }

    private static double gauge(final MeterRegistry meters, final String name, final String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    @Test
    void pluginFiguresAreExportedWhenMeasuredAndFollowThePluginFromAnyThread() {
        final MeterRegistry meters = new SimpleMeterRegistry();
        final Reporting storage = new Reporting();
        storage.stats.set(new StorageStats(4096, 1 << 20, 512, 3));
        final AtomicReference<TransportStats> transportStats = new AtomicReference<>(new TransportStats(0));
        final Transport transport = new Quiet() {
            @Override
            public TransportStats stats() {
                return transportStats.get();
            }
        };
        final NodeGauges gauges = new NodeGauges("n1", storage, transport, meters);
        assertEquals(4096, gauge(meters, NodeGauges.STORAGE_DISK, "node", "n1"));
        assertEquals(1 << 20, gauge(meters, NodeGauges.STORAGE_CACHE_SIZE, "node", "n1"));
        assertEquals(512, gauge(meters, NodeGauges.STORAGE_CACHE_USED, "node", "n1"));
        assertEquals(3, gauge(meters, NodeGauges.STORAGE_CLEANER_BACKLOG, "node", "n1"));
        storage.stats.set(new StorageStats(8192, 1 << 20, 700, 0));
        assertEquals(8192, gauge(meters, NodeGauges.STORAGE_DISK, "node", "n1"), "read at each scrape, not at registration");
        transportStats.set(new TransportStats(7));
        assertEquals(7, meters.get(NodeGauges.TRANSPORT_BACK_PRESSURE).tag("node", "n1").functionCounter().count());

        gauges.sent(SendStatus.SENT);
        gauges.sent(SendStatus.BACK_PRESSURED);
        gauges.sent(SendStatus.NOT_CONNECTED);
        gauges.sent(SendStatus.NOT_CONNECTED);
        gauges.sendError();
        assertEquals(1, meters.get(NodeGauges.SENDS_FAILED).tags("node", "n1", "reason", "back_pressured").counter().count());
        assertEquals(2, meters.get(NodeGauges.SENDS_FAILED).tags("node", "n1", "reason", "not_connected").counter().count());
        assertEquals(0, meters.get(NodeGauges.SENDS_FAILED).tags("node", "n1", "reason", "closed").counter().count());
        assertEquals(1, meters.get(NodeGauges.SENDS_FAILED).tags("node", "n1", "reason", "error").counter().count());

        gauges.transfers(2, 5, 1);
        assertEquals(2, gauge(meters, NodeGauges.TRANSFERS_PENDING, "node", "n1", "direction", "in"));
        assertEquals(5, gauge(meters, NodeGauges.TRANSFERS_PENDING, "node", "n1", "direction", "out"));
        assertEquals(1, gauge(meters, NodeGauges.TRANSFERS_RELEASING, "node", "n1"));
    }

    @Test
    void whatAPluginDoesNotMeasureIsNotExportedAndANewLifeReplacesTheOldMeters() {
        final MeterRegistry meters = new SimpleMeterRegistry();
        final Reporting first = new Reporting();
        first.stats.set(new StorageStats(100, StorageStats.UNKNOWN, StorageStats.UNKNOWN, StorageStats.UNKNOWN));
        new NodeGauges("n1", first, new Quiet(), meters);
        assertEquals(100, gauge(meters, NodeGauges.STORAGE_DISK, "node", "n1"));
        assertNull(meters.find(NodeGauges.STORAGE_CACHE_SIZE).gauge(), "unknown figures are left out, not exported as -1");
        assertNull(meters.find(NodeGauges.TRANSPORT_BACK_PRESSURE).functionCounter(), "the SPI's default measures nothing");

        final Reporting second = new Reporting();
        second.stats.set(new StorageStats(200, StorageStats.UNKNOWN, StorageStats.UNKNOWN, StorageStats.UNKNOWN));
        final NodeGauges again = new NodeGauges("n1", second, new Quiet(), meters);
        assertEquals(200, gauge(meters, NodeGauges.STORAGE_DISK, "node", "n1"), "the restarted node's storage, not the old one");
        again.transfers(1, 0, 0);
        assertEquals(1, gauge(meters, NodeGauges.TRANSFERS_PENDING, "node", "n1", "direction", "in"));
    }
}
