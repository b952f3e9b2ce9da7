package io.armature.transport.aeron;

import org.agrona.CloseHelper;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The duty cycle of an owner-driven media driver and Aeron client: no agent threads, the owners
 * (node event loops, a client's loop) run the driver's conductor, sender and receiver and the
 * client conductor when they call {@link #doWork()}. On two cores this removes a busy thread per
 * process and a wake-up per message hop (MEASURED.md traps 2 and 7).
 *
 * <p>The invokers are not thread-safe, so one lock serialises every invocation: owners take it
 * with {@code tryLock} (another owner already driving is as good), and so does the Aeron client
 * while it waits for the driver's answer to an add or remove on any thread ({@link #driverInvoker}).
 * Closing takes it for good, so no invocation runs on closed agents.
 */
final class OwnerDrive {
    private final ReentrantLock lock = new ReentrantLock();
    private final AgentInvoker driver;
    private AgentInvoker conductor;
    private boolean closed;

    OwnerDrive(final AgentInvoker driver) {
        this.driver = driver;
    }

    /** Called once, after the Aeron client connected with {@link #driverInvoker()}. */
    void conductor(final AgentInvoker conductorInvoker) {
        lock.lock();
        try {
            this.conductor = conductorInvoker;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return work done by the driver and the client conductor; 0 if another thread drives now
     */
    int doWork() {
        if (!lock.tryLock()) {
            return 0;
        }
        try {
            if (closed) {
                return 0;
            }
            int work = driver.invoke();
            if (conductor != null) {
                work += conductor.invoke();
            }
            return work;
        } finally {
            lock.unlock();
        }
    }

    private int driveDriverOnly() {
        if (!lock.tryLock()) {
            // Another thread drives: its cycle serves this waiter too.
            Thread.onSpinWait();
            return 0;
        }
        try {
            return closed ? 0 : driver.invoke();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return an invoker for {@code Aeron.Context.driverAgentInvoker}: a thread that waits for the
     *     driver (an add or remove of a publication or subscription) drives it under the lock
     */
    AgentInvoker driverInvoker() {
        return new AgentInvoker(Throwable::printStackTrace, null, new IdleAgent()) {
            @Override
            public int invoke() {
                return driveDriverOnly();
            }

            @Override
            public void start() {
                // the driver's own invoker is started by the driver
            }
        };
    }

    /** Closes the client, then the driver, after any invocation in progress; later calls do nothing. */
    void close(final AutoCloseable client, final AutoCloseable mediaDriver) {
        lock.lock();
        try {
            closed = true;
            CloseHelper.closeAll(client, mediaDriver);
        } finally {
            lock.unlock();
        }
    }

    /** The agent behind the waiter's invoker: it never runs (invoke is overridden). */
    private static final class IdleAgent implements Agent {
        @Override
        public int doWork() {
            return 0;
        }

        @Override
        public String roleName() {
            return "armature-aeron-owner-drive";
        }
    }
}
