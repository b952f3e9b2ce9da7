package io.armature.storage.bdb.bench;

import com.sleepycat.je.CheckpointConfig;
import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.Environment;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.WriteBatch;
import io.armature.storage.bdb.BdbStorageProvider;
import io.armature.storage.bdb.BdbTestSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Put and get of 16-byte keys and 1 KiB values over {@code records} preloaded records, through
 * the {@code bdb} plugin and through raw JE with the same environment settings, for each
 * durability level, in one run so {@code plugin / raw} is a fair ratio.
 *
 * <p>Both layers use one directory under {@code target/bench-data}, preloaded once (the plugin
 * writes batches of 1,000) and reused by every trial and later runs; before each trial the log is
 * cleaned and checkpointed so no trial inherits the previous one's cleaning backlog. Puts overwrite random
 * existing keys, so the data set stays at {@code records}; gets read random existing keys.
 * Run: {@code bin/jmh storage-bdb BdbBenchmark -f 1 -wi 1 -i 3 -tu us}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Xms2g"})
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 3, time = 3)
public class BdbBenchmark {
    private static final int KEY_BYTES = 16;
    private static final int VALUE_BYTES = 1024;
    private static final Keyspace KEYSPACE = Keyspace.partition(0);

    /** Durability level, as configured ({@code sync}, {@code write-no-sync}, {@code no-sync}). */
    @Param({"sync", "write-no-sync", "no-sync"})
    public String durability;

    /** {@code plugin} (Armature's engine) or {@code raw} (JE directly). */
    @Param({"plugin", "raw"})
    public String layer;

    /** Records preloaded. */
    @Param({"1000000"})
    public int records;

    private Layer target;
    private byte[] value;

    /** A put/get surface over either layer. */
    private interface Layer extends AutoCloseable {
        void put(byte[] key, byte[] value);

        byte[] get(byte[] key);

        @Override
        void close();
    }

    /** Per-thread random keys. */
    @State(Scope.Thread)
    public static class Keys {
        private final SplittableRandom random = new SplittableRandom(Thread.currentThread().getId());
        private int records;

        @Setup(Level.Trial)
        public void setUp(final BdbBenchmark bench) {
            records = bench.records;
        }

        byte[] next() {
            return key(random.nextInt(records));
        }
    }

    static byte[] key(final int i) {
        // Hash prefix then index: the engine's partition records are hash64(key) ++ key.
        long h = i * 0x9E3779B97F4A7C15L;
        h ^= h >>> 31;
        return ByteBuffer.allocate(KEY_BYTES).putLong(h).putLong(i).array();
    }

    private static StorageConfig config(final Path dir, final Durability d) {
        return StorageConfig.builder().directory(dir).durability(d).property("bdb.cache-size", "512m").build();
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        value = new byte[VALUE_BYTES];
        new SplittableRandom(1).nextBytes(value);
        final Path root = Path.of("target", "bench-data").toAbsolutePath();
        final Path dir = root.resolve("bdb-" + records);
        final Path preloaded = root.resolve("bdb-" + records + ".preloaded");
        if (!Files.exists(preloaded)) {
            preload(dir);
            Files.writeString(preloaded, "ok\n");
        }
        quiesce(dir);
        final Durability d = Durability.fromId(durability);
        target = "raw".equals(layer) ? raw(dir, d) : plugin(dir, d);
    }

    private void preload(final Path dir) {
        try (StorageEngine engine = new BdbStorageProvider().open(config(dir, Durability.NO_SYNC))) {
            for (int i = 0; i < records; ) {
                final WriteBatch batch = new WriteBatch();
                for (int j = 0; j < 1000 && i < records; j++, i++) {
                    batch.put(KEYSPACE, key(i), value);
                }
                engine.write(batch);
            }
            engine.flush();
        }
    }

    /**
     * Every trial starts from the same state: earlier put trials leave gigabytes of obsolete log
     * that JE's cleaner would otherwise work off during whichever trial comes next, which made
     * the order of the layers, not the layers, decide the result.
     */
    private static void quiesce(final Path dir) {
        final Environment env = new Environment(dir.toFile(), BdbTestSupport.environmentConfig(config(dir, Durability.NO_SYNC)));
        try {
            int cleaned;
            do {
                cleaned = env.cleanLog();
            } while (cleaned > 0);
            final CheckpointConfig force = new CheckpointConfig();
            force.setForce(true);
            env.checkpoint(force);
        } finally {
            env.close();
        }
    }

    private static Layer plugin(final Path dir, final Durability d) {
        final StorageEngine engine = new BdbStorageProvider().open(config(dir, d));
        return new Layer() {
            @Override
            public void put(final byte[] key, final byte[] value) {
                engine.put(KEYSPACE, key, value);
            }

            @Override
            public byte[] get(final byte[] key) {
                return engine.get(KEYSPACE, key);
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    private static Layer raw(final Path dir, final Durability d) {
        final Environment env = new Environment(dir.toFile(), BdbTestSupport.environmentConfig(config(dir, d)));
        final DatabaseConfig dc = new DatabaseConfig();
        dc.setTransactional(true);
        dc.setAllowCreate(true);
        final Database db = env.openDatabase(null, KEYSPACE.name(), dc);
        return new Layer() {
            @Override
            public void put(final byte[] key, final byte[] value) {
                db.put(null, new DatabaseEntry(key), new DatabaseEntry(value));
            }

            @Override
            public byte[] get(final byte[] key) {
                final DatabaseEntry v = new DatabaseEntry();
                return db.get(null, new DatabaseEntry(key), v, LockMode.READ_COMMITTED) == OperationStatus.SUCCESS ? v.getData() : null;
            }

            @Override
            public void close() {
                db.close();
                env.close();
            }
        };
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        target.close();
    }

    /**
     * @param keys this thread's key source
     */
    @Benchmark
    public void put(final Keys keys) {
        target.put(keys.next(), value);
    }

    /**
     * @param keys this thread's key source
     * @return the value read, so it is not optimised away
     */
    @Benchmark
    public byte[] get(final Keys keys) {
        return target.get(keys.next());
    }
}
