package io.armature.testkit.sim;

import io.armature.api.KvClient;
import io.armature.spi.storage.Durability;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageProvider;
import io.armature.spi.transport.Endpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;

/**
 * One simulated node: its identity, clock, storage (kept across a crash, or wiped), and for each
 * life a fresh scheduler facade, transport and engine node.
 */
final class SimNode {
    private final int index;
    private final String name;
    private final Endpoint endpoint;
    private final SimClock clock;
    private final SplittableRandom random;
    private final StorageProvider provider;
    private final Path directory;
    private final RecordingStorage.Counters counters;
    private final Durability durability;
    private CrashableStorage crashable;
    private RecordingStorage storage;
    private SimScheduler scheduler;
    private SimTransport transport;
    private EngineBinding.Running running;
    private int lives;
    private List<SimNode> seeds;
    private boolean departed;

    SimNode(final int index, final SimClock clock, final SplittableRandom random, final StorageProvider provider,
            final Path directory, final RecordingStorage.Counters counters, final Durability durability) {
        this.index = index;
        this.name = "n" + (index + 1);
        this.endpoint = new Endpoint(name, 7000);
        this.clock = clock;
        this.random = random;
        this.provider = provider;
        this.directory = directory;
        this.counters = counters;
        this.durability = durability;
    }

    int index() {
        return index;
    }

    String name() {
        return name;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    SimClock clock() {
        return clock;
    }

    SimScheduler scheduler() {
        return scheduler;
    }

    SimTransport transport() {
        return transport;
    }

    StorageEngine storage() {
        return storage;
    }

    boolean isUp() {
        return running != null;
    }

    /**
     * @return the running engine node, or null while the node is down
     */
    EngineBinding.Running running() {
        return running;
    }

    /**
     * @return the nodes this one joins through, or null for a node of the first ring
     */
    List<SimNode> seeds() {
        return seeds;
    }

    /**
     * Makes this node one that joins the running cluster through these seeds (in every life: a
     * joiner that crashed before a ring reached it asks again).
     *
     * @param through the seeds, asked in turn
     */
    void joinThrough(final List<SimNode> through) {
        this.seeds = List.copyOf(through);
    }

    /**
     * @return true once the node left the ring and was stopped for good
     */
    boolean departed() {
        return departed;
    }

    /**
     * Stops the node for good, cleanly, as an operator stops a node that left the ring.
     */
    void depart() {
        departed = true;
        if (running != null) {
            scheduler.kill();
            running.stop();
            transport.close();
            running = null;
        }
    }

    int lives() {
        return lives;
    }

    KvClient client() {
        return running.client();
    }

    /**
     * @return a random source for the node's next life, split from the node's seeded source
     */
    RandomGenerator nextRandom() {
        return random.split();
    }

    void start(final SimLoop loop, final SimNetwork network, final EngineBinding engine, final List<SimNode> all) {
        if (storage == null) {
            crashable = new CrashableStorage(provider.open(StorageConfig.builder().directory(directory).build()), durability);
            storage = new RecordingStorage(crashable, counters);
        }
        lives++;
        scheduler = new SimScheduler(loop, name + "#" + lives);
        transport = network.transport(name);
        running = engine.start(this, all);
    }

    /**
     * Crashes the node: its scheduled work vanishes, its transport closes, and its storage is kept
     * as far as its durability promises (a process crash or a power loss) or destroyed (a
     * permanent failure).
     *
     * @return how many write calls after the last sync point the crash lost
     */
    int crash(final boolean wipe, final boolean powerLoss) {
        scheduler.kill();
        crashable.kill();
        try {
            running.stop();
        } catch (final RuntimeException ignored) {
            // a crash does not wait for a clean stop; whatever the stop could not do is lost
        }
        transport.close();
        running = null;
        final int lost = wipe ? 0 : crashable.crash(powerLoss, random.split());
        if (wipe) {
            storage.close();
            storage = null;
            deleteDirectory();
        } else if (crashable.delegate().durability().survivesReopen()) {
            storage.close();
            storage = null;
        }
        return lost;
    }

    void close() {
        if (running != null) {
            scheduler.kill();
            running.stop();
            transport.close();
            running = null;
        }
        if (storage != null) {
            storage.close();
            storage = null;
        }
    }

    private void deleteDirectory() {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("simulator could not wipe " + directory, e);
        }
    }

    @Override
    public String toString() {
        return name + (isUp() ? "" : " (down)");
    }
}
