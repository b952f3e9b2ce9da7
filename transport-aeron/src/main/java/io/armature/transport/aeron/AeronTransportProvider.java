package io.armature.transport.aeron;

import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.spi.transport.TransportProvider;

/**
 * The Aeron UDP transport, id {@code "aeron"}. Every transport in a JVM shares one embedded media
 * driver (SHARED threading mode, directory under {@code /dev/shm}, unique per process, deleted
 * when the last transport closes).
 *
 * <p>Settings, all optional ({@code TransportConfig} properties): {@code aeron.mtu} (default 8k),
 * {@code aeron.socket-rcvbuf}, {@code aeron.socket-sndbuf}, {@code aeron.receiver-window} (2m
 * each), {@code aeron.term-length} (default: the smallest power of two of at least 8 times the
 * max message size, and 64k), {@code aeron.idle-strategy} ({@code backoff}, default, or
 * {@code yielding}), {@code aeron.idle-yields} (1000), {@code aeron.idle-max-park} (1ms),
 * {@code aeron.connect-timeout} (how long sends wait for a new peer to connect, 100ms: it
 * blocks the caller, usually an event loop, and the connection completes in the background anyway),
 * {@code aeron.back-pressure-timeout} (5ms), {@code aeron.pause-tolerance} (60s: the longest stop of the
 * whole process, a GC pause or SIGSTOP, after which the embedded driver and client still trust each
 * other; Aeron's own default is 10 s), {@code aeron.stream-id} and {@code aeron.dir}.
 * Unknown {@code aeron.*} keys are rejected by name.
 */
public final class AeronTransportProvider implements TransportProvider {
    /** This provider's id. */
    public static final String ID = "aeron";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "Aeron UDP transport with an embedded shared media driver";
    }

    @Override
    public Transport create(final TransportConfig config) {
        return new AeronTransport(AeronSettings.from(config));
    }
}
