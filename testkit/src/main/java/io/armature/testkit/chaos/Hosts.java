package io.armature.testkit.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The test hosts: one network namespace per node ({@code armchaos-nK}, address
 * {@code 10.77.0.K}) on one bridge ({@code armchaos-br}, the harness's own address
 * {@code 10.77.0.254}), and link cuts as blackhole routes inside the namespaces. Only this subnet
 * is ever used. A lock file keeps two runs apart; {@link #open} first sweeps whatever a crashed
 * earlier run left, and {@link #close} (also called from a shutdown hook) removes everything.
 */
public final class Hosts implements AutoCloseable {
    /** The bridge every namespace hangs off. */
    public static final String BRIDGE = "armchaos-br";
    /** The subnet the harness owns: nothing outside it (and loopback) is ever addressed. */
    public static final String SUBNET_PREFIX = "10.77.0.";
    /** The harness's (the clients') own address on the bridge. */
    public static final String HOST_ADDRESS = SUBNET_PREFIX + "254";
    private static final String NS_PREFIX = "armchaos-n";
    private static final String VETH_PREFIX = "armchaos-v";
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "armchaos.lock");

    private final int nodes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Set<String> cuts = new TreeSet<>();
    private final Thread hook;
    private boolean closed;

    private Hosts(final int nodes, final FileChannel lockChannel, final FileLock lock) {
        this.nodes = nodes;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.hook = new Thread(this::closeQuietly, "armchaos-hosts-cleanup");
    }

    /**
     * @return null if network namespaces can be made here, else why not
     */
    public static String unavailableReason() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return "network namespaces need Linux, this is " + System.getProperty("os.name");
        }
        final String probe = "armchaos-probe";
        final Result add = run(List.of("ip", "netns", "add", probe));
        if (add.code != 0) {
            return "cannot create a network namespace (root and iproute2 needed): " + add.output.strip();
        }
        run(List.of("ip", "netns", "del", probe));
        return null;
    }

    /**
     * Takes the lock, sweeps leftovers and builds the bridge and one namespace per node.
     *
     * @param nodes how many (1..250)
     * @return the hosts
     */
    public static Hosts open(final int nodes) {
        if (nodes < 1 || nodes > 250) {
            throw new IllegalArgumentException("nodes must be in 1..250, was " + nodes);
        }
        final FileChannel ch;
        final FileLock lock;
        try {
            ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new IllegalStateException("another chaos run holds " + LOCK);
            }
        } catch (final IOException | OverlappingFileLockException e) {
            throw new IllegalStateException("another chaos run holds " + LOCK + ": " + e, e);
        }
        final Hosts h = new Hosts(nodes, ch, lock);
        Runtime.getRuntime().addShutdownHook(h.hook);
        try {
            sweep();
            h.build();
        } catch (final RuntimeException e) {
            h.close();
            throw e;
        }
        return h;
    }

    /** Removes every namespace and link of this harness, of this run or a crashed earlier one. */
    public static void sweep() {
        final Result list = run(List.of("ip", "netns", "list"));
        for (final String line : list.output.split("\n")) {
            final String name = line.strip().split("\\s+")[0];
            if (name.startsWith("armchaos-")) {
                run(List.of("ip", "netns", "del", name));
            }
        }
        final Result links = run(List.of("ip", "-o", "link", "show"));
        for (final String line : links.output.split("\n")) {
            final String[] parts = line.split(":\\s+");
            if (parts.length > 1) {
                final String name = parts[1].split("@")[0].strip();
                if (name.startsWith(VETH_PREFIX)) {
                    run(List.of("ip", "link", "del", name));
                }
            }
        }
        run(List.of("ip", "link", "del", BRIDGE));
    }

    private void build() {
        must("ip", "link", "add", BRIDGE, "type", "bridge");
        must("ip", "addr", "add", HOST_ADDRESS + "/24", "dev", BRIDGE);
        must("ip", "link", "set", BRIDGE, "up");
        for (int k = 1; k <= nodes; k++) {
            final String ns = namespace(k);
            final String veth = VETH_PREFIX + k;
            must("ip", "netns", "add", ns);
            must("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
            must("ip", "link", "set", veth, "master", BRIDGE);
            must("ip", "link", "set", veth, "up");
            must("ip", "netns", "exec", ns, "ip", "addr", "add", address(k) + "/24", "dev", "eth0");
            must("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up");
            must("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        }
    }

    /**
     * @param k a node's number, from 1
     * @return its namespace's name
     */
    public static String namespace(final int k) {
        return NS_PREFIX + k;
    }

    /**
     * @param k a node's number, from 1
     * @return its address
     */
    public static String address(final int k) {
        return SUBNET_PREFIX + k;
    }

    /**
     * @return how many node namespaces exist
     */
    public int nodes() {
        return nodes;
    }

    /**
     * Drops everything node {@code from} sends to node {@code to} (one way).
     *
     * @param from sender, from 1
     * @param to receiver, from 1
     */
    public synchronized void cut(final int from, final int to) {
        if (from == to || !cuts.add(from + ">" + to)) {
            return;
        }
        must("ip", "netns", "exec", namespace(from), "ip", "route", "add", "blackhole", address(to) + "/32");
    }

    /**
     * Undoes {@link #cut}.
     *
     * @param from sender
     * @param to receiver
     */
    public synchronized void uncut(final int from, final int to) {
        if (!cuts.remove(from + ">" + to)) {
            return;
        }
        must("ip", "netns", "exec", namespace(from), "ip", "route", "del", "blackhole", address(to) + "/32");
    }

    /** Removes every cut. */
    public synchronized void healAll() {
        for (final String c : new ArrayList<>(cuts)) {
            final String[] p = c.split(">");
            uncut(Integer.parseInt(p[0]), Integer.parseInt(p[1]));
        }
    }

    /**
     * @return the cuts in force, as {@code from>to}
     */
    public synchronized Set<String> cuts() {
        return new TreeSet<>(cuts);
    }

    /**
     * @param k a node
     * @return the blackhole routes its namespace really has (to check that a heal took)
     */
    public List<String> blackholes(final int k) {
        final List<String> out = new ArrayList<>();
        for (final String line : must("ip", "netns", "exec", namespace(k), "ip", "route", "show", "type", "blackhole").split("\n")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /**
     * @param k a node
     * @param command what to run in its namespace
     * @return the command line that runs it there
     */
    public static List<String> inNamespace(final int k, final List<String> command) {
        final List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace(k)));
        cmd.addAll(command);
        return cmd;
    }

    private void closeQuietly() {
        try {
            close();
        } catch (final RuntimeException e) {
            System.err.println("armchaos: cleanup failed: " + e);
        }
    }

    /** Removes the namespaces and the bridge and releases the lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            sweep();
        } finally {
            try {
                lock.release();
                lockChannel.close();
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (Thread.currentThread() != hook) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (final IllegalStateException shuttingDown) {
                        // the hook is running or has run: nothing to remove
                    }
                }
            }
        }
    }

    private static String must(final String... command) {
        final Result r = run(List.of(command));
        if (r.code != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + r.code + "): " + r.output.strip());
        }
        return r.output;
    }

    private record Result(int code, String output) {
    }

    private static Result run(final List<String> command) {
        try {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (final IOException e) {
            return new Result(-1, e.toString());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static void deleteTree(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var s = Files.walk(dir)) {
            for (final Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
