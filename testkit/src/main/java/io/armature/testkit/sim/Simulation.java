package io.armature.testkit.sim;

import io.armature.engine.config.RepairSettings;
import io.armature.engine.faults.FaultInjection;
import io.armature.spi.PluginRegistry;
import io.armature.spi.storage.Durability;
import io.armature.spi.storage.StorageProvider;
import io.armature.testkit.sim.check.Checker;
import io.armature.testkit.sim.check.FinalState;
import io.armature.testkit.sim.check.ReplicaState;
import io.armature.testkit.sim.check.RunFacts;
import io.armature.testkit.sim.history.FaultEvent;
import io.armature.testkit.sim.history.History;
import io.armature.testkit.sim.history.OpKind;
import io.armature.testkit.sim.history.Operation;
import io.armature.testkit.sim.schedule.ClientStep;
import io.armature.testkit.sim.schedule.Fault;
import io.armature.testkit.sim.schedule.StepKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Runs one {@link Scenario} on a simulated cluster of real engine nodes and checks the design's
 * eventual-consistency guarantees on the outcome. This is the entry point for storage plugin
 * authors: run the simulator over your own {@link StorageProvider} to see that the cluster keeps
 * its guarantees on it, crashes and restarts included.
 *
 * <pre>{@code
 * SimulationResult r = Simulation.builder()
 *     .storage(new MyStorageProvider())      // default: the built-in "memory" storage
 *     .directory(tempDir)                     // where durable engines keep each node's files
 *     .build()
 *     .run(Scenario.parse("seed=7 nodes=3 nrw=3/2/2 ops=c0:put:k0:+0,c1:get:k0:+5 faults=crash@0+50:1"));
 * assertTrue(r.report().ok(), r.failureReport());
 * }</pre>
 *
 * <p>Or generate scenarios with {@link io.armature.testkit.sim.schedule.SimArbitraries} in a
 * jqwik property, as {@code SimulationProperties} in the testkit's tests does.
 *
 * <h2>What a run does</h2>
 * The nodes start and settle; the clients run their steps while the faults come and go; then the
 * simulator heals every fault (restarting crashed nodes), lets repair run until storage is quiet
 * (bounded virtual time), reads every key once at R = N to trigger read repair (unless the
 * scenario asks for the per-replica check, where convergence must come from hints and
 * anti-entropy), waits for quiet again, reads every replica's stored record and runs the
 * {@link Checker}. The nodes run repair settings of the simulator's own: anti-entropy four times a
 * second and a tombstone grace of seconds, so purge runs, and the quiet period spans at least two
 * anti-entropy rounds. A crash keeps the
 * node's storage: engines whose data survive a reopen are closed and reopened, in-memory engines
 * are kept open as they are; a wipe destroys it and the node restarts empty. A crash or a power
 * loss first drops the writes after the node's last sync point that its durability does not keep
 * (see {@link Builder#durability}), and records that as a {@link FaultEvent#LOST} the checker
 * treats like a wipe of that node.
 *
 * <p>Everything random comes from the scenario's seed, so a run replays event for event.
 * Single-threaded; a {@code Simulation} may run many scenarios one after another.
 */
public final class Simulation {
    private static final long MS = 1_000_000L;

    private final StorageProvider storage;
    private final Path directory;
    private final long settleNanos;
    private final long quietNanos;
    private final long maxRepairNanos;
    private final long maxRunNanos;
    private final EngineBinding.Factory engine;
    private final String settings;
    private final Durability durability;

    private Simulation(final Builder b) {
        this.storage = b.storage != null ? b.storage : PluginRegistry.storage().get("memory");
        this.directory = b.directory;
        this.settleNanos = b.settleMillis * MS;
        this.quietNanos = b.quietMillis * MS;
        this.maxRepairNanos = b.maxRepairMillis * MS;
        this.maxRunNanos = b.maxRunMillis * MS;
        this.durability = b.durability;
        final RepairSettings repair = RepairSettings.defaults().withAntiEntropyPeriod(Duration.ofMillis(b.antiEntropyMillis))
            .withTombstoneGrace(Duration.ofMillis(b.graceMillis));
        final FaultInjection faults = b.faults;
        this.engine = b.engine != null ? b.engine : scenario -> new EngineNodes(scenario, faults, repair);
        this.settings = "storage=" + (b.storage == null ? "memory" : b.storageName) + " settle=" + b.settleMillis
            + " quiet=" + b.quietMillis + " max-repair=" + b.maxRepairMillis + " max-run=" + b.maxRunMillis
            + " ae=" + b.antiEntropyMillis + " grace=" + b.graceMillis + " durability=" + b.durability.id() + " mutants=" + faults.toString().replace(" ", "");
    }

    /**
     * @return every knob of this simulation besides the scenario, in the form
     *     {@link Builder#settings(String)} reads: storage, timings, repair settings and mutants
     */
    public String settings() {
        return settings;
    }

    /**
     * @return a builder with the defaults: memory storage, no directory
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a scenario with the default settings.
     *
     * @param scenario what to run
     * @return the outcome
     */
    public static SimulationResult simulate(final Scenario scenario) {
        return builder().build().run(scenario);
    }

    /**
     * Runs one scenario from a fresh cluster.
     *
     * @param scenario what to run
     * @return the history, final state, checker report and figures
     */
    public SimulationResult run(final Scenario scenario) {
        return new Run(scenario).execute();
    }

    private final class Run {
        private final Scenario scenario;
        private final long wallStart = System.nanoTime();
        private final SimLoop loop = new SimLoop();
        private final SplittableRandom root;
        private final SimNetwork network;
        private final NetworkConditions base;
        private final History history = new History();
        private final RecordingStorage.Counters counters = new RecordingStorage.Counters();
        private final List<SimNode> nodes = new ArrayList<>();
        private final List<SimClient> clients = new ArrayList<>();
        private final Fault[] crashedBy;
        private final EngineBinding binding;
        private Path runDirectory;
        private Fault partitionedBy;
        private Fault lossBy;
        private int faultsBegun;
        private int faultsDuringOps;
        private int lostTails;
        private int moves;
        private int movesDuringOps;
        private long lastStepAt = -1;
        /** Nodes asked to leave and not yet stopped, with when the leave was last asked. */
        private final java.util.Map<SimNode, Long> leaving = new java.util.LinkedHashMap<>();
        private boolean watching;

        Run(final Scenario scenario) {
            this.scenario = scenario;
            this.root = new SplittableRandom(scenario.seed());
            this.network = new SimNetwork(loop, root.split());
            this.base = NetworkConditions.HEALTHY.withDuplicateRate(scenario.duplicatePercent() / 100.0).withReorder(scenario.reorder());
            this.crashedBy = new Fault[scenario.nodes() + scenario.faults().joins()];
            this.binding = engine.create(scenario);
            if (scenario.faults().moves() && binding.supportsMoves()) {
                loop.afterEach(binding::observe);
            }
        }

        private boolean clientsBusy() {
            return lastStepAt < 0 || clients.stream().anyMatch(c -> !c.done());
        }

        SimulationResult execute() {
            try {
                network.setConditions(base);
                runDirectory = directory == null ? null : directory.resolve("run-" + Long.toUnsignedString(scenario.seed(), 36) + "-" + System.nanoTime());
                for (int i = 0; i < scenario.nodes(); i++) {
                    final SimClock clock = new SimClock(loop, root.nextLong(-2_000, 2_001));
                    nodes.add(new SimNode(i, clock, root.split(), storage, runDirectory == null ? null : runDirectory.resolve("n" + (i + 1)), counters,
                        durability));
                }
                for (final SimNode n : nodes) {
                    n.start(loop, network, binding, nodes);
                }
                loop.runUntil(settleNanos);
                final long opsStart = loop.now();
                for (final Fault f : scenario.faults().faults()) {
                    if (f.isMove() && !binding.supportsMoves()) {
                        continue;
                    }
                    loop.schedule(f.atMillis() * MS, () -> {
                        faultsBegun++;
                        if (clientsBusy()) {
                            faultsDuringOps++;
                            movesDuringOps += f.isMove() ? 1 : 0;
                        }
                        moves += f.isMove() ? 1 : 0;
                        begin(f);
                    });
                    loop.schedule((f.atMillis() + (long) f.durationMillis()) * MS, () -> end(f));
                }
                for (int c = 0; c < scenario.ops().clients(); c++) {
                    final SimClient client = new SimClient(c, c % scenario.nodes(), scenario.ops().stepsOf(c), loop, history,
                        this::coordinatorFrom, scenario.n(), scenario.r(), scenario.w());
                    clients.add(client);
                    client.start();
                }
                final long faultsEnd = opsStart + scenario.faults().endMillis() * MS;
                lastStepAt = 0;
                loop.runUntil(() -> loop.now() >= faultsEnd && clients.stream().allMatch(SimClient::done), opsStart + maxRunNanos);
                healEverything();
                quiesce();
                if (!scenario.replicaCheck()) {
                    finalReads();
                    quiesce();
                }
                final FinalState state = snapshot();
                final RunFacts facts = new RunFacts(nodes.size(), counters.hintWrites > 0);
                final long ops = history.operations().size();
                final long completed = history.operations().stream().filter(o -> o.completedAt() >= 0).count();
                final SimulationStats stats = new SimulationStats(ops, completed, loop.executed(), loop.now(),
                    System.nanoTime() - wallStart, network.stats(), faultsBegun, faultsDuringOps, counters.purges, lostTails,
                    moves, movesDuringOps);
                return new SimulationResult(scenario, settings, history, state, Checker.check(history, state, facts), stats);
            } finally {
                for (final SimNode n : nodes) {
                    try {
                        n.close();
                    } catch (final RuntimeException ignored) {
                        // closing is best effort: the run's outcome is already decided
                    }
                }
                deleteRunDirectory();
            }
        }

        private SimNode coordinatorFrom(final int home) {
            for (int i = 0; i < nodes.size(); i++) {
                final SimNode n = nodes.get((home + i) % nodes.size());
                if (n.isUp() && !n.departed()) {
                    return n;
                }
            }
            return null;
        }

        private void begin(final Fault f) {
            switch (f.kind()) {
                case PARTITION -> {
                    final Set<String> a = new TreeSet<>();
                    final Set<String> b = new TreeSet<>();
                    for (final SimNode n : nodes) {
                        ((f.arg() >> n.index() & 1) == 1 ? a : b).add(n.name());
                    }
                    network.partition(List.of(a, b));
                    partitionedBy = f;
                    history.fault(new FaultEvent(loop.now(), "partition", null, a + "|" + b));
                }
                case CRASH, WIPE, POWER -> {
                    final SimNode n = nodes.get(f.arg() % nodes.size());
                    if (n.isUp()) {
                        crash(n, f.kind() == Fault.Kind.WIPE, f.kind() == Fault.Kind.POWER);
                        crashedBy[n.index()] = f;
                    }
                }
                case SLOW -> {
                    final SimNode n = nodes.get(f.arg() % 1000 % nodes.size());
                    network.slow(n.name(), f.arg() / 1000 * MS);
                    history.fault(new FaultEvent(loop.now(), "slow", n.name(), f.arg() / 1000 + "ms"));
                }
                case LOSS -> {
                    network.setConditions(network.conditions().withDropRate(f.arg() / 100.0));
                    lossBy = f;
                    history.fault(new FaultEvent(loop.now(), "loss", null, f.arg() + "%"));
                }
                case JOIN -> join(f.arg());
                case LEAVE -> leave(nodes.get(f.arg() % nodes.size()));
                case PAUSE -> {
                    final SimNode n = nodes.get(f.arg() % nodes.size());
                    if (n.isUp() && !n.scheduler().isPaused()) {
                        n.scheduler().pause(f.durationMillis() * MS);
                        history.fault(new FaultEvent(loop.now(), "pause", n.name(), f.durationMillis() + "ms"));
                    }
                }
                case CLOCK -> {
                    final SimNode n = nodes.get(f.node() % nodes.size());
                    n.clock().jump(f.clockSeconds() * 1_000L);
                    history.fault(new FaultEvent(loop.now(), "clock", n.name(), f.clockSeconds() + "s"));
                }
            }
        }

        /** Starts a new node that joins through the first nodes as seeds, the named one first. */
        private void join(final int firstSeed) {
            final List<SimNode> seeds = new ArrayList<>();
            for (int i = 0; i < scenario.nodes(); i++) {
                seeds.add(nodes.get((firstSeed + i) % scenario.nodes()));
            }
            final int index = nodes.size();
            final SimNode n = new SimNode(index, new SimClock(loop, root.nextLong(-2_000, 2_001)), root.split(), storage,
                runDirectory == null ? null : runDirectory.resolve("n" + (index + 1)), counters, durability);
            n.joinThrough(seeds);
            nodes.add(n);
            history.fault(new FaultEvent(loop.now(), FaultEvent.JOIN, n.name(), "seeds " + seeds.get(0).name()));
            n.start(loop, network, binding, nodes);
        }

        /**
         * The operator asks a node to take {@code n} out of the ring. A leave that would leave
         * fewer than N members, or of a node already leaving or gone, is not made.
         */
        private void leave(final SimNode n) {
            if (n.departed() || leaving.containsKey(n) || !binding.member(n.name()) || binding.members() <= scenario.n()) {
                return;
            }
            history.fault(new FaultEvent(loop.now(), FaultEvent.LEAVE, n.name(), ""));
            leaving.put(n, Long.MIN_VALUE);
            if (!watching) {
                watchLeaves();
            }
        }

        /**
         * Every 100 ms while a node is leaving: asks again (through the leaver, else any running
         * node) while no running node holds a ring without it, as an operator whose change got
         * lost would; stops it for good once it gossips {@code left}, as the operator's guide says.
         */
        private void watchLeaves() {
            if (leaving.isEmpty()) {
                watching = false;
                return;
            }
            watching = true;
            for (final SimNode n : new ArrayList<>(leaving.keySet())) {
                if (binding.member(n.name())) {
                    final long asked = leaving.get(n);
                    final SimNode via = n.isUp() ? n : coordinatorFrom(n.index());
                    if (via != null && (asked == Long.MIN_VALUE || loop.now() - asked >= 1_000 * MS)
                        && via.running().leave(n.name())) {
                        leaving.put(n, loop.now());
                    }
                } else if (n.isUp() && n.running().left()) {
                    for (final SimClient c : clients) {
                        c.crashed(n);
                    }
                    n.depart();
                    leaving.remove(n);
                    history.fault(new FaultEvent(loop.now(), FaultEvent.LEFT, n.name(), ""));
                }
            }
            loop.schedule(100 * MS, this::watchLeaves);
        }

        private void end(final Fault f) {
            switch (f.kind()) {
                case PARTITION -> {
                    if (partitionedBy == f) {
                        heal();
                    }
                }
                case CRASH, WIPE, POWER -> {
                    final SimNode n = nodes.get(f.arg() % nodes.size());
                    if (crashedBy[n.index()] == f) {
                        restart(n);
                    }
                }
                case SLOW -> {
                    final SimNode n = nodes.get(f.arg() % 1000 % nodes.size());
                    network.slow(n.name(), 0);
                    history.fault(new FaultEvent(loop.now(), "slow", n.name(), "0ms"));
                }
                case CLOCK -> {
                    final SimNode n = nodes.get(f.node() % nodes.size());
                    n.clock().jump(-f.clockSeconds() * 1_000L);
                    history.fault(new FaultEvent(loop.now(), "clock", n.name(), -f.clockSeconds() + "s"));
                }
                case JOIN, LEAVE, PAUSE -> {
                    // a join and a leave stay made; a pause ends by itself (its held tasks run then)
                }
                case LOSS -> {
                    if (lossBy == f) {
                        network.setConditions(network.conditions().withDropRate(0));
                        lossBy = null;
                        history.fault(new FaultEvent(loop.now(), "loss", null, "0%"));
                    }
                }
            }
        }

        private void heal() {
            network.heal();
            partitionedBy = null;
            history.fault(new FaultEvent(loop.now(), "heal", null, ""));
        }

        private void crash(final SimNode n, final boolean wipe, final boolean powerLoss) {
            history.fault(new FaultEvent(loop.now(), wipe ? FaultEvent.WIPE : FaultEvent.CRASH, n.name(), powerLoss ? "power" : ""));
            n.scheduler().kill();
            for (final SimClient c : clients) {
                c.crashed(n);
            }
            final int lost = n.crash(wipe, powerLoss);
            if (lost > 0) {
                lostTails++;
                history.fault(new FaultEvent(loop.now(), FaultEvent.LOST, n.name(), lost + " writes after the last sync point"));
            }
        }

        private void restart(final SimNode n) {
            crashedBy[n.index()] = null;
            n.start(loop, network, binding, nodes);
            history.fault(new FaultEvent(loop.now(), FaultEvent.RESTART, n.name(), "life " + n.lives()));
        }

        private void healEverything() {
            if (partitionedBy != null || network.isPartitioned()) {
                heal();
            }
            network.setConditions(base);
            lossBy = null;
            for (final SimNode n : nodes) {
                network.slow(n.name(), 0);
            }
            for (final SimNode n : nodes) {
                if (!n.isUp() && !n.departed()) {
                    restart(n);
                }
            }
        }

        /**
         * Runs until storage stays unchanged for a quiet period and every written key's replicas
         * agree, or the repair budget is spent. Anti-entropy exchanges one random partition with
         * one random peer a round, so a quiet period alone may end before it reached a divergent
         * pair; a repair path that never converges runs to the budget and the checker sees it.
         */
        private void quiesce() {
            final long deadline = loop.now() + maxRepairNanos;
            long writes = -1;
            while (loop.now() < deadline && (writes != counters.writes || !leaving.isEmpty() || !binding.settled() || !converged())) {
                writes = counters.writes;
                loop.runUntil(Math.min(deadline, loop.now() + quietNanos));
            }
        }

        private boolean converged() {
            final Set<String> keys = new TreeSet<>();
            for (final Operation op : history.operations()) {
                if (op.kind() != OpKind.GET) {
                    keys.add(op.key());
                }
            }
            for (final String key : keys) {
                Object first = null;
                boolean seen = false;
                for (final String owner : binding.owners(key)) {
                    final ReplicaState r = binding.read(nodes.get(Integer.parseInt(owner.substring(1)) - 1).storage(), key);
                    final Object canon = r == null ? "absent" : r.canonical();
                    if (seen && !canon.equals(first)) {
                        return false;
                    }
                    first = canon;
                    seen = true;
                }
            }
            return true;
        }

        private void finalReads() {
            final Set<String> keys = new TreeSet<>();
            for (final Operation op : history.operations()) {
                keys.add(op.key());
            }
            final List<SimClient> readers = new ArrayList<>();
            int i = 0;
            for (final String key : keys) {
                final List<ClientStep> steps = List.of(new ClientStep(0, Integer.parseInt(key.substring(1)), StepKind.GET, 0));
                final SimClient reader = new SimClient(1000 + i, i % nodes.size(), steps, loop, history, this::coordinatorFrom,
                    scenario.n(), scenario.n(), scenario.w());
                readers.add(reader);
                reader.start();
                i++;
            }
            loop.runUntil(() -> readers.stream().allMatch(SimClient::done), loop.now() + maxRepairNanos);
        }

        private FinalState snapshot() {
            final FinalState state = new FinalState();
            final Set<String> keys = new HashSet<>();
            for (final Operation op : history.operations()) {
                if (op.kind() != OpKind.GET) {
                    keys.add(op.key());
                }
            }
            for (final String key : keys) {
                state.owners(key, binding.owners(key));
                state.pastOwners(key, binding.pastOwners(key));
                for (final SimNode n : nodes) {
                    final ReplicaState r = binding.read(n.storage(), key);
                    if (r != null) {
                        state.put(key, n.name(), r);
                    }
                }
            }
            return state;
        }

        private void deleteRunDirectory() {
            if (runDirectory == null || !Files.exists(runDirectory)) {
                return;
            }
            try (var files = Files.walk(runDirectory)) {
                for (final Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("simulator could not delete " + runDirectory, e);
            }
        }
    }

    /**
     * Builds a {@link Simulation}.
     */
    public static final class Builder {
        private StorageProvider storage;
        private Path directory;
        private String storageName = "memory";
        private long settleMillis = 1_000;
        private long quietMillis = 600;
        private long maxRepairMillis = 30_000;
        private long maxRunMillis = 120_000;
        private long antiEntropyMillis = 250;
        private long graceMillis = 2_000;
        private Durability durability = Durability.WRITE_NO_SYNC;
        private FaultInjection faults = FaultInjection.NONE;
        private EngineBinding.Factory engine;

        private Builder() {
        }

        /**
         * @param provider the storage every node uses; default: the built-in {@code memory} storage
         * @return this builder
         */
        public Builder storage(final StorageProvider provider) {
            this.storage = Objects.requireNonNull(provider, "storage");
            this.storageName = provider.id();
            return this;
        }

        /**
         * @param directory where each run keeps its nodes' files, one sub-directory per node
         *     (deleted after the run); needed by storage that keeps data on disk
         * @return this builder
         */
        public Builder directory(final Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * @param millis virtual time the nodes run before the clients start; default 1000
         * @return this builder
         */
        public Builder settleMillis(final long millis) {
            this.settleMillis = requirePositive("settle", millis);
            return this;
        }

        /**
         * @param quietMillis virtual time without any storage write that counts as quiet; default
         *     600, more than two anti-entropy rounds
         * @param maxRepairMillis the most virtual time repair gets after healing, per phase; default 30000
         * @return this builder
         */
        public Builder repair(final long quietMillis, final long maxRepairMillis) {
            this.quietMillis = requirePositive("quiet", quietMillis);
            this.maxRepairMillis = requirePositive("max-repair", maxRepairMillis);
            return this;
        }

        /**
         * @param millis the most virtual time the clients' phase may take; default 120000
         * @return this builder
         */
        public Builder maxRunMillis(final long millis) {
            this.maxRunMillis = requirePositive("max-run", millis);
            return this;
        }

        /**
         * Builds every node with deliberate bugs. <strong>For the testkit's self-tests only</strong>:
         * they prove that the checker catches real mistakes.
         *
         * @param faults the bugs; default {@link FaultInjection#NONE}
         * @return this builder
         */
        public Builder engineFaults(final FaultInjection faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /**
         * @param antiEntropyMillis the nodes' anti-entropy period; default 250; 0 switches
         *     anti-entropy off, so that convergence must come from read repair and hints
         * @param graceMillis the nodes' tombstone grace; default 2000, so purge runs within a run
         * @return this builder
         */
        public Builder repairSettings(final long antiEntropyMillis, final long graceMillis) {
            if (antiEntropyMillis < 0 || graceMillis < 0) {
                throw new IllegalArgumentException("simulation anti-entropy and grace times must not be negative, were "
                    + antiEntropyMillis + "ms, " + graceMillis + "ms");
            }
            this.antiEntropyMillis = antiEntropyMillis;
            this.graceMillis = graceMillis;
            return this;
        }

        /**
         * @param durability what a crash keeps of storage that keeps nothing itself (the built-in
         *     memory storage): {@code sync} everything, {@code write-no-sync} everything but a tail
         *     after the last sync at a power loss, {@code no-sync} may lose a tail after the last
         *     flush at any crash; default {@code write-no-sync}. Storage that keeps data across a
         *     reopen is simulated at its own durability. {@code none} is taken as {@code no-sync}.
         * @return this builder
         */
        public Builder durability(final Durability durability) {
            this.durability = Objects.requireNonNull(durability, "durability") == Durability.NONE ? Durability.NO_SYNC : durability;
            return this;
        }

        /**
         * Sets every knob from the form {@link Simulation#settings()} gives, so that a printed
         * failure replays exactly. A storage other than {@code memory} is looked up by name in the
         * plugin registry.
         *
         * @param text {@code storage=.. settle=.. quiet=.. max-repair=.. max-run=.. ae=.. grace=.. durability=.. mutants=..}
         * @return this builder
         * @throws IllegalArgumentException naming the part that is malformed
         */
        public Builder settings(final String text) {
            for (final String part : text.trim().split("\\s+")) {
                final int eq = part.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("simulation setting '" + part + "' is not name=value");
                }
                final String v = part.substring(eq + 1);
                switch (part.substring(0, eq)) {
                    case "storage" -> {
                        if (!"memory".equals(v)) {
                            storage(PluginRegistry.storage().get(v));
                        }
                    }
                    case "settle" -> settleMillis(Long.parseLong(v));
                    case "quiet" -> quietMillis = requirePositive("quiet", Long.parseLong(v));
                    case "max-repair" -> maxRepairMillis = requirePositive("max-repair", Long.parseLong(v));
                    case "max-run" -> maxRunMillis(Long.parseLong(v));
                    case "ae" -> repairSettings(Long.parseLong(v), graceMillis);
                    case "grace" -> repairSettings(antiEntropyMillis, Long.parseLong(v));
                    case "mutants" -> engineFaults(parseFaults(v));
                    case "durability" -> durability(Durability.fromId(v));
                    default -> throw new IllegalArgumentException("unknown simulation setting '" + part + "'");
                }
            }
            return this;
        }

        private static FaultInjection parseFaults(final String v) {
            if ("none".equals(v)) {
                return FaultInjection.NONE;
            }
            final String inner = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
            final EnumSet<FaultInjection.Fault> set = EnumSet.noneOf(FaultInjection.Fault.class);
            for (final String f : inner.split(",")) {
                if (!f.isBlank()) {
                    set.add(FaultInjection.Fault.valueOf(f.trim()));
                }
            }
            return FaultInjection.of(set);
        }

        Builder engine(final EngineBinding.Factory factory) {
            this.engine = Objects.requireNonNull(factory, "engine");
            return this;
        }

        private static long requirePositive(final String name, final long millis) {
            if (millis <= 0) {
                throw new IllegalArgumentException("simulation " + name + " time must be positive, was " + millis + "ms");
            }
            return millis;
        }

        /**
         * @return the simulation
         */
        public Simulation build() {
            return new Simulation(this);
        }
    }
}
