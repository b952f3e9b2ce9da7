package io.armature.storage.bdb;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.WriteBatch;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The child process of {@link BdbCrashTest}: writes forever under sync durability and prints a
 * line to stdout after each write returns, until the parent kills it. Its stdout is the protocol
 * with the parent, not logging.
 */
public final class CrashWriter {
    static final Keyspace SINGLES = Keyspace.partition(7);
    static final Keyspace PAIRS = Keyspace.partition(8);

    private CrashWriter() {
    }

    /**
     * @param args the data directory
     */
    public static void main(final String[] args) {
        final PrintStream acks = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        final StorageEngine engine = new BdbStorageProvider().open(StorageConfig.builder()
            .directory(Path.of(args[0]))
            .durability(Durability.SYNC)
            .property("bdb.cache-size", "8m")
            .property("bdb.free-disk", "0")
            .build());
        acks.println("open");
        for (int i = 0; ; i++) {
            engine.put(SINGLES, key(i), value(i));
            acks.println("put " + i);
            engine.write(new WriteBatch().put(PAIRS, key(2 * i), value(i)).put(PAIRS, key(2 * i + 1), value(i)));
            acks.println("pair " + i);
        }
    }

    static byte[] key(final int i) {
        return String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] value(final int i) {
        final byte[] v = new byte[256];
        java.util.Arrays.fill(v, (byte) i);
        return v;
    }
}
