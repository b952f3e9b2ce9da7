package io.armature.testkit.storage;

import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multi-threaded checks of the kit. Threads here are the point of the test (the engine
 * contract says every method may be called concurrently); each check waits with a deadline.
 */
final class ConcurrentWriters {
    private static final long DEADLINE_SECONDS = 60;
    private static final Keyspace KS = Keyspace.partition(3);

    private ConcurrentWriters() {
    }

    static void differentKeys(final StorageEngine engine, final int threads, final int perThread) throws Exception {
        final List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    engine.put(KS, key(thread, i), value(thread, i));
                }
                return null;
            });
        }
        runAll(tasks);
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                assertArrayEquals(value(t, i), engine.get(KS, key(t, i)), "thread " + t + " write " + i);
            }
        }
        final int[] count = {0};
        engine.scan(KS, null, null, (k, v) -> ++count[0] > 0);
        assertEquals(threads * perThread, count[0]);
    }

    static void sameKey(final StorageEngine engine, final int threads, final int perThread) throws Exception {
        final byte[] key = "contended".getBytes(StandardCharsets.UTF_8);
        final AtomicBoolean writing = new AtomicBoolean(true);
        final List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int thread = t;
            tasks.add(() -> {
                for (int i = 0; i < perThread; i++) {
                    engine.put(KS, key, value(thread, i));
                }
                return null;
            });
        }
        final Callable<Void> reader = () -> {
            while (writing.get()) {
                final byte[] v = engine.get(KS, key);
                if (v != null) {
                    assertTrue(wellFormed(v, threads, perThread), "torn or foreign value read concurrently");
                }
            }
            return null;
        };
        final ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            final Future<Void> readerDone = pool.submit(reader);
            final List<Future<Void>> writers = new ArrayList<>();
            for (final Callable<Void> task : tasks) {
                writers.add(pool.submit(task));
            }
            for (final Future<Void> f : writers) {
                f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
            writing.set(false);
            readerDone.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        final byte[] last = engine.get(KS, key);
        assertNotNull(last);
        final Set<ByteBuffer> lastOfEachThread = new HashSet<>();
        for (int t = 0; t < threads; t++) {
            lastOfEachThread.add(ByteBuffer.wrap(value(t, perThread - 1)));
        }
        assertTrue(lastOfEachThread.contains(ByteBuffer.wrap(last)), "the final value must be the last write of some writer");
    }

    static void scanDuringWrites(final StorageEngine engine, final int before) throws Exception {
        for (int i = 0; i < before; i++) {
            engine.put(KS, key(0, i), value(0, i));
        }
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean scanning = new AtomicBoolean(true);
        final Callable<Void> writer = () -> {
            int i = 0;
            started.countDown();
            while (scanning.get()) {
                engine.put(KS, key(1, i % 1000), value(1, i));
                engine.delete(KS, key(2, i % 1000));
                engine.put(KS, key(2, (i + 1) % 1000), value(2, i));
                i++;
            }
            return null;
        };
        final ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            final Future<Void> writerDone = pool.submit(writer);
            assertTrue(started.await(DEADLINE_SECONDS, TimeUnit.SECONDS));
            for (int round = 0; round < 5; round++) {
                final Set<ByteBuffer> seen = new HashSet<>();
                engine.scan(KS, null, null, (k, v) -> seen.add(ByteBuffer.wrap(k)));
                for (int i = 0; i < before; i++) {
                    assertTrue(seen.contains(ByteBuffer.wrap(key(0, i))), "scan missed a record written before it began");
                }
            }
            scanning.set(false);
            writerDone.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void runAll(final List<Callable<Void>> tasks) throws Exception {
        final ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            final List<Future<Void>> futures = new ArrayList<>();
            for (final Callable<Void> task : tasks) {
                futures.add(pool.submit(task));
            }
            for (final Future<Void> f : futures) {
                f.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] key(final int thread, final int i) {
        return String.format("t%02d-%06d", thread, i).getBytes(StandardCharsets.UTF_8);
    }

    /** A value that identifies its writer and repeats the identity, so a torn read is detectable. */
    static byte[] value(final int thread, final int i) {
        final ByteBuffer buf = ByteBuffer.allocate(8 * 64);
        for (int r = 0; r < 64; r++) {
            buf.putInt(thread).putInt(i);
        }
        return buf.array();
    }

    private static boolean wellFormed(final byte[] v, final int threads, final int perThread) {
        if (v.length != 8 * 64) {
            return false;
        }
        final ByteBuffer buf = ByteBuffer.wrap(v);
        final int thread = buf.getInt(0);
        final int i = buf.getInt(4);
        if (thread < 0 || thread >= threads || i < 0 || i >= perThread) {
            return false;
        }
        for (int r = 0; r < 64; r++) {
            if (buf.getInt(r * 8) != thread || buf.getInt(r * 8 + 4) != i) {
                return false;
            }
        }
        return true;
    }
}
