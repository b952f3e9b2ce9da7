package io.armature.transport.aeron;

import org.agrona.concurrent.Agent;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The one receive thread of this JVM: polls the subscription of every bound Aeron transport in
 * turn. One thread for all nodes rather than one per node: on two cores fewer runnable threads
 * means shorter hops under load, and an idle JVM has one thread parking instead of one per node.
 * Each transport's handler is still called one message at a time, on this thread.
 */
final class ReceivePoller implements Agent {
    private static final System.Logger LOG = System.getLogger(ReceivePoller.class.getName());
    private static final long REMOVE_WAIT_NS = 5_000_000_000L;

    /** One transport's receive work. */
    interface Source {
        /**
         * @return fragments handled
         */
        int poll();

        /**
         * @return a name for logs
         */
        String name();
    }

    private volatile Source[] sources = new Source[0];
    private volatile long cycles;
    private volatile Thread thread;

    @Override
    public void onStart() {
        thread = Thread.currentThread();
    }

    @Override
    public int doWork() {
        int work = 0;
        for (final Source source : sources) {
            try {
                work += source.poll();
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "aeron transport " + source.name() + ": message handler failed", e);
                work++;
            }
        }
        cycles = cycles + 1;
        return work;
    }

    synchronized void add(final Source source) {
        final Source[] next = Arrays.copyOf(sources, sources.length + 1);
        next[next.length - 1] = source;
        sources = next;
    }

    /**
     * Stops polling a source and, unless called from the poller itself, waits until any poll of it
     * in progress has finished, so its handler is never called after this returns.
     */
    void remove(final Source source) {
        synchronized (this) {
            sources = Arrays.stream(sources).filter(s -> s != source).toArray(Source[]::new);
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        // Two completed cycles after the swap guarantee the old array is no longer being walked.
        final long target = cycles + 2;
        final long deadline = System.nanoTime() + REMOVE_WAIT_NS;
        while (cycles < target && thread != null && thread.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                LOG.log(System.Logger.Level.WARNING, "aeron receive poller did not finish a cycle while removing " + source.name());
                return;
            }
            LockSupport.parkNanos(50_000);
        }
    }

    @Override
    public String roleName() {
        return "armature-aeron-receiver";
    }
}
