package io.armature.transport.aeron;

import io.armature.spi.transport.TransportConfig;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The validated {@code aeron.*} settings of one transport, with defaults measured on a 2-core
 * machine (docs/platform-notes.md: an 8 KiB MTU and 2 MiB socket buffers and receiver window gave
 * ~4.5x the 1 KiB message rate of Aeron's defaults; yielding then parking keeps latency low under
 * traffic while an idle node parks up to 1 ms, so it costs next to nothing).
 *
 * <p>Sizes take an optional {@code k}, {@code m} or {@code g} suffix; durations one of
 * {@code ns}, {@code us}, {@code ms}, {@code s}. The driver-wide settings ({@code aeron.dir} and
 * the idle settings of the shared media driver) come from the first transport in the JVM.
 */
final class AeronSettings {
    static final String PREFIX = "aeron.";
    static final String DIR = "aeron.dir";
    static final String TERM_LENGTH = "aeron.term-length";
    static final String MTU = "aeron.mtu";
    static final String SOCKET_RCVBUF = "aeron.socket-rcvbuf";
    static final String SOCKET_SNDBUF = "aeron.socket-sndbuf";
    static final String RECEIVER_WINDOW = "aeron.receiver-window";
    static final String IDLE_STRATEGY = "aeron.idle-strategy";
    static final String IDLE_YIELDS = "aeron.idle-yields";
    static final String IDLE_MAX_PARK = "aeron.idle-max-park";
    static final String CONNECT_TIMEOUT = "aeron.connect-timeout";
    static final String BACK_PRESSURE_TIMEOUT = "aeron.back-pressure-timeout";
    static final String STREAM_ID = "aeron.stream-id";
    static final String PAUSE_TOLERANCE = "aeron.pause-tolerance";
    static final String OWNER_DRIVEN = "aeron.owner-driven";
    static final Set<String> KEYS = Set.of(DIR, TERM_LENGTH, MTU, SOCKET_RCVBUF, SOCKET_SNDBUF, RECEIVER_WINDOW,
        IDLE_STRATEGY, IDLE_YIELDS, IDLE_MAX_PARK, CONNECT_TIMEOUT, BACK_PRESSURE_TIMEOUT, STREAM_ID, PAUSE_TOLERANCE, OWNER_DRIVEN);
    /** Default {@link #PAUSE_TOLERANCE}: a whole-process stop (GC, SIGSTOP, a suspended VM) this long is survived. */
    static final long DEFAULT_PAUSE_TOLERANCE_NS = TimeUnit.SECONDS.toNanos(60);

    private static final int MIN_TERM = 64 * 1024;
    private static final int MAX_TERM = 1024 * 1024 * 1024;

    final int maxMessageSize;
    final String dir;
    final int termLength;
    final int mtu;
    final int socketRcvbuf;
    final int socketSndbuf;
    final int receiverWindow;
    final String idleStrategy;
    final int idleYields;
    final long idleMaxParkNs;
    final long connectTimeoutNs;
    final long backPressureTimeoutNs;
    final int streamId;
    final long pauseToleranceNs;
    final boolean ownerDriven;

    private AeronSettings(final TransportConfig config) {
        final Map<String, String> p = config.properties();
        final Set<String> unknown = new TreeSet<>();
        for (final String key : p.keySet()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown aeron transport settings " + unknown + "; known: " + new TreeSet<>(KEYS));
        }
        maxMessageSize = config.maxMessageSize();
        dir = p.getOrDefault(DIR, defaultDir());
        // Aeron carries messages up to termLength / 8.
        final int neededTerm = Math.max(MIN_TERM, Integer.highestOneBit(Math.max(1, maxMessageSize * 8 - 1)) << 1);
        termLength = (int) size(p, TERM_LENGTH, neededTerm, MIN_TERM, MAX_TERM);
        if (Integer.bitCount(termLength) != 1) {
            throw new IllegalArgumentException(TERM_LENGTH + " must be a power of two, was " + termLength);
        }
        if (termLength / 8 < maxMessageSize) {
            throw new IllegalArgumentException(TERM_LENGTH + " " + termLength + " carries messages up to " + termLength / 8
                + " bytes (term length / 8), below the transport's max-message-size " + maxMessageSize
                + "; use at least " + neededTerm);
        }
        mtu = (int) size(p, MTU, 8192, 1408, 65_504);
        if (mtu % 32 != 0) {
            throw new IllegalArgumentException(MTU + " must be a multiple of 32, was " + mtu);
        }
        socketRcvbuf = (int) size(p, SOCKET_RCVBUF, 2 << 20, 64 * 1024, 1 << 30);
        socketSndbuf = (int) size(p, SOCKET_SNDBUF, 2 << 20, 64 * 1024, 1 << 30);
        receiverWindow = (int) size(p, RECEIVER_WINDOW, Math.min(2 << 20, termLength / 2), 64 * 1024, termLength / 2);
        idleStrategy = p.getOrDefault(IDLE_STRATEGY, "backoff").trim().toLowerCase(Locale.ROOT);
        if (!idleStrategy.equals("backoff") && !idleStrategy.equals("yielding")) {
            throw new IllegalArgumentException(IDLE_STRATEGY + " must be backoff or yielding, was '" + idleStrategy + "'");
        }
        idleYields = (int) size(p, IDLE_YIELDS, 100, 0, 1_000_000);
        idleMaxParkNs = duration(p, IDLE_MAX_PARK, TimeUnit.MILLISECONDS.toNanos(1), 1_000, TimeUnit.SECONDS.toNanos(1));
        connectTimeoutNs = duration(p, CONNECT_TIMEOUT, TimeUnit.MILLISECONDS.toNanos(100), 0, TimeUnit.MINUTES.toNanos(1));
        backPressureTimeoutNs = duration(p, BACK_PRESSURE_TIMEOUT, TimeUnit.MILLISECONDS.toNanos(5), 0, TimeUnit.SECONDS.toNanos(10));
        streamId = (int) size(p, STREAM_ID, 0x41524d, 1, Integer.MAX_VALUE);
        pauseToleranceNs = duration(p, PAUSE_TOLERANCE, DEFAULT_PAUSE_TOLERANCE_NS, TimeUnit.SECONDS.toNanos(1), TimeUnit.HOURS.toNanos(1));
        final String owner = p.getOrDefault(OWNER_DRIVEN, Boolean.toString(config.ownerDriven())).trim().toLowerCase(Locale.ROOT);
        if (!owner.equals("true") && !owner.equals("false")) {
            throw new IllegalArgumentException(OWNER_DRIVEN + " must be true or false, was '" + owner + "'");
        }
        ownerDriven = Boolean.parseBoolean(owner);
    }

    static AeronSettings from(final TransportConfig config) {
        return new AeronSettings(config);
    }

    /**
     * @return a fresh idle strategy: backoff yields {@link #idleYields} times then parks from 1 us
     *     up to {@link #idleMaxParkNs}, never spinning hard on two cores (MEASURED.md trap 2)
     */
    IdleStrategy newIdleStrategy() {
        if (idleStrategy.equals("yielding")) {
            return new YieldingIdleStrategy();
        }
        return new BackoffIdleStrategy(20, idleYields, 1_000, idleMaxParkNs);
    }

    String subscriptionChannel(final String host, final int port) {
        return "aeron:udp?endpoint=" + hostPort(host, port) + "|so-rcvbuf=" + socketRcvbuf + "|rcv-wnd=" + receiverWindow;
    }

    String publicationChannel(final String host, final int port) {
        return "aeron:udp?endpoint=" + hostPort(host, port) + "|mtu=" + mtu + "|term-length=" + termLength
            + "|so-sndbuf=" + socketSndbuf + "|sparse=true";
    }

    private static String hostPort(final String host, final int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static String defaultDir() {
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("armature-aeron-" + ProcessHandle.current().pid()).toString();
    }

    static long size(final Map<String, String> p, final String key, final long defaultValue, final long min, final long max) {
        final String text = p.get(key);
        if (text == null) {
            return defaultValue;
        }
        final String t = text.trim().toLowerCase(Locale.ROOT);
        long unit = 1;
        String digits = t;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            unit = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1L << 30;
            digits = t.substring(0, t.length() - 1);
        }
        final long value;
        try {
            value = Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (final NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(key + " must be a size such as 65536, 64k or 2m, was '" + text + "'", e);
        }
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in " + min + ".." + max + ", was " + text);
        }
        return value;
    }

    static long duration(final Map<String, String> p, final String key, final long defaultNs, final long minNs, final long maxNs) {
        final String text = p.get(key);
        if (text == null) {
            return defaultNs;
        }
        final String t = text.trim().toLowerCase(Locale.ROOT);
        final String[] units = {"ns", "us", "ms", "s"};
        final long[] nanos = {1, 1_000, 1_000_000, 1_000_000_000};
        for (int i = 0; i < units.length; i++) {
            if (t.endsWith(units[i]) && (i != 3 || !t.endsWith("ns") && !t.endsWith("us") && !t.endsWith("ms"))) {
                final long value;
                try {
                    value = Math.multiplyExact(Long.parseLong(t.substring(0, t.length() - units[i].length()).trim()), nanos[i]);
                } catch (final NumberFormatException | ArithmeticException e) {
                    break;
                }
                if (value < minNs || value > maxNs) {
                    throw new IllegalArgumentException(key + " must be in " + minNs + "ns.." + maxNs + "ns, was " + text);
                }
                return value;
            }
        }
        throw new IllegalArgumentException(key + " must be a duration such as 500us, 5ms or 2s, was '" + text + "'");
    }
}
