package io.armature.testkit.sim.history;

import io.armature.api.Context;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A history recorded by concurrent real clients (the chaos harness) loses nothing and numbers
 * every operation once.
 */
class HistoryConcurrencyTest {
    @Test
    void concurrentClientsRecordEveryOperationOnce() throws InterruptedException {
        final History h = new History();
        final int threads = 4;
        final int each = 2_000;
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final String client = "c" + t;
            final Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < each; i++) {
                    final int id = h.invoke(client, "n1", "k", OpKind.PUT, client + "." + i, Context.empty(), -1, 3, 2, 2, i);
                    if (i % 2 == 0) {
                        h.ok(id, i + 1, List.of(client + "." + i), Context.empty());
                    } else {
                        h.failed(id, i + 1, Outcome.UNKNOWN, "timeout");
                    }
                    h.operations();
                }
            });
            ts.add(th);
            th.start();
        }
        go.countDown();
        for (final Thread th : ts) {
            th.join();
        }
        final List<Operation> ops = h.operations();
        assertEquals(threads * each, ops.size());
        final Set<String> values = new HashSet<>();
        for (int i = 0; i < ops.size(); i++) {
            assertEquals(i, ops.get(i).id());
            assertTrue(ops.get(i).outcome() != Outcome.PENDING, ops.get(i)::toString);
            values.add(ops.get(i).value());
        }
        assertEquals(threads * each, values.size());
        assertEquals(2 * threads * each, h.lines().size());
    }
}
