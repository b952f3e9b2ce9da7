package io.armature.transport.aeron;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.MessageHandler;
import io.armature.spi.transport.SendStatus;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.testkit.transport.TransportContract;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transport kit run against the owner-driven Aeron transport: no driver or receive thread of
 * its own, each transport driven by one owner thread (as a node's event loop drives it), which
 * the wrapper starts with the transport and stops when it closes.
 */
class OwnerDrivenAeronTransportContractTest extends TransportContract {
    @Override
    protected TransportConfig config() {
        return TransportConfig.builder().maxMessageSize(1 << 20).ownerDriven(true).build();
    }

    @Override
    protected Transport createTransport(final TransportConfig config) {
        final Transport t = new AeronTransportProvider().create(config);
        assertTrue(t.ownerDriven(), "an owner-driven config made a transport with threads of its own");
        return new Owned(t);
    }

    /** A transport and the owner thread that runs its duty cycle until it closes. */
    private static final class Owned implements Transport {
        private final Transport inner;
        private final Thread owner;
        private volatile boolean stop;

        Owned(final Transport inner) {
            this.inner = inner;
            this.owner = new Thread(this::drive, "owner-" + System.identityHashCode(inner));
            owner.setDaemon(true);
            owner.start();
        }

        private void drive() {
            while (!stop) {
                if (inner.doWork() == 0) {
                    LockSupport.parkNanos(50_000);
                }
            }
        }

        @Override
        public Endpoint bind(final Endpoint local, final MessageHandler handler) {
            return inner.bind(local, handler);
        }

        @Override
        public SendStatus send(final Endpoint to, final ByteBuffer message) {
            return inner.send(to, message);
        }

        @Override
        public int maxMessageSize() {
            return inner.maxMessageSize();
        }

        @Override
        public boolean ownerDriven() {
            return true;
        }

        @Override
        public void close() {
            inner.close();
            stop = true;
            if (Thread.currentThread() == owner) {
                return; // closed from the handler, on the owner thread: it ends after this cycle
            }
            try {
                owner.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
