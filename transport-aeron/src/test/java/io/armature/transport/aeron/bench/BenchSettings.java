package io.armature.transport.aeron.bench;

import io.armature.spi.transport.TransportConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * The settings both benchmarks use, so the raw Aeron baseline and the Armature transport run the
 * same driver and channel configuration: the transport's defaults (8 KiB MTU, 2 MiB socket
 * buffers and receiver window, 16 MiB terms for the default 2 MiB max message, SHARED driver,
 * backoff idle that yields 100 times then parks up to 1 ms).
 */
final class BenchSettings {
    static final int MTU = 8192;
    static final int BUFFERS = 2 << 20;
    static final int TERM_LENGTH = 16 << 20;
    static final int PING_STREAM = 1001;
    static final int PONG_STREAM = 1002;
    static final byte PING = 1;
    static final byte DATA = 0;

    private BenchSettings() {
    }

    static IdleStrategy idle() {
        return new BackoffIdleStrategy(20, 100, 1_000, 1_000_000);
    }

    static TransportConfig transportConfig() {
        return TransportConfig.builder().build();
    }

    static String publication(final int port) {
        return "aeron:udp?endpoint=127.0.0.1:" + port + "|mtu=" + MTU + "|term-length=" + TERM_LENGTH
            + "|so-sndbuf=" + BUFFERS + "|sparse=true";
    }

    static String subscription(final int port) {
        return "aeron:udp?endpoint=127.0.0.1:" + port + "|so-rcvbuf=" + BUFFERS + "|rcv-wnd=" + BUFFERS;
    }
}
