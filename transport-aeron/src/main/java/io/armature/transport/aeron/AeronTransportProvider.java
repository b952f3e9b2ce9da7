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
 * other; Aeron's own default is 10 s), {@code aeron.stream-id}, {@code aeron.dir} and
 * {@code aeron.owner-driven} (overrides {@code TransportConfig.ownerDriven()}: the media driver then
 * runs as an invoker inside the owners' {@code doWork}, without threads of its own).
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
    public java.util.List<io.armature.spi.SettingInfo> settings() {
        return java.util.List.of(
            new io.armature.spi.SettingInfo(AeronSettings.DIR, "/dev/shm/armature-aeron-PID", "a directory",
                "The embedded media driver's directory (the first transport in the JVM decides)."),
            new io.armature.spi.SettingInfo(AeronSettings.TERM_LENGTH, "8 x the largest message, at least 64k", "64k..1g, a power of two",
                "Aeron term buffer length; carries messages up to a term / 8."),
            new io.armature.spi.SettingInfo(AeronSettings.MTU, "8k", "1408..65504, a multiple of 32", "Largest UDP datagram Aeron sends."),
            new io.armature.spi.SettingInfo(AeronSettings.SOCKET_RCVBUF, "2m", "64k..1g", "UDP socket receive buffer."),
            new io.armature.spi.SettingInfo(AeronSettings.SOCKET_SNDBUF, "2m", "64k..1g", "UDP socket send buffer."),
            new io.armature.spi.SettingInfo(AeronSettings.RECEIVER_WINDOW, "2m (at most half a term)", "64k..term-length / 2",
                "Flow-control window a receiver grants a sender."),
            new io.armature.spi.SettingInfo(AeronSettings.IDLE_STRATEGY, "backoff", "backoff, yielding", "How idle Aeron threads wait."),
            new io.armature.spi.SettingInfo(AeronSettings.IDLE_YIELDS, "100", "0..1000000", "Yields before an idle thread parks."),
            new io.armature.spi.SettingInfo(AeronSettings.IDLE_MAX_PARK, "1ms", "1us..1s", "Longest park of an idle thread."),
            new io.armature.spi.SettingInfo(AeronSettings.CONNECT_TIMEOUT, "100ms", "0..1min (ns, us, ms, s)",
                "How long a send waits for a new peer's publication to connect."),
            new io.armature.spi.SettingInfo(AeronSettings.BACK_PRESSURE_TIMEOUT, "5ms", "0..10s (ns, us, ms, s)",
                "How long a send retries under back pressure before it reports it."),
            new io.armature.spi.SettingInfo(AeronSettings.STREAM_ID, "4280909", "1..2147483647", "Aeron stream id of the cluster's traffic."),
            new io.armature.spi.SettingInfo(AeronSettings.PAUSE_TOLERANCE, java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(
                AeronSettings.DEFAULT_PAUSE_TOLERANCE_NS) + "s", "1s..1h (ns, us, ms, s)",
                "A whole-process stop (GC, SIGSTOP, a suspended VM) this long is survived."),
            new io.armature.spi.SettingInfo(AeronSettings.OWNER_DRIVEN, "the owner's choice (a node and the remote client: true)", "true, false",
                "No driver or receive threads: the owner's event loop runs the media driver (the first transport in the JVM decides)."));
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
