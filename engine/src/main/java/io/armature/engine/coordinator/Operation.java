package io.armature.engine.coordinator;

import io.armature.api.ArmatureException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.ReadResult;
import io.armature.engine.ring.NodeId;
import io.armature.engine.wire.Message;
import io.armature.spi.runtime.Cancellable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request in flight at the coordinator. The client is answered once ({@link #succeed} or
 * {@link #fail}); the operation may stay registered after that to handle late replies (read
 * repair, stand-ins) until {@link #finish} or its deadline.
 */
abstract class Operation {
    final Coordinator c;
    final long id;
    final String name;
    final CompletableFuture<ReadResult<byte[]>> future;
    private final long startNanos;
    private Cancellable deadline;
    private boolean finished;

    Operation(final Coordinator c, final String name, final CompletableFuture<ReadResult<byte[]>> future) {
        this.c = c;
        this.id = c.nextRequestId();
        this.name = name;
        this.future = future;
        this.startNanos = c.clock.nanoTime();
    }

    /** Registers the operation and arms its deadline, then lets it send its first messages. */
    final void begin(final long timeoutMillis) {
        c.register(this);
        deadline = c.scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), () -> {
            if (!finished) {
                onDeadline();
                finish();
            }
        });
        start();
    }

    abstract void start();

    abstract void onReply(NodeId from, Message message);

    abstract void onDeadline();

    /** Releases timers other than the deadline. */
    void cancelTimers() {
    }

    final boolean answered() {
        return future.isDone();
    }

    final void succeed(final ReadResult<byte[]> result) {
        if (!future.isDone()) {
            c.metrics.timer(name).record(c.clock.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            future.complete(result);
        }
    }

    final void fail(final ArmatureException e) {
        if (!future.isDone()) {
            c.metrics.timer(name).record(c.clock.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            if (e instanceof QuorumNotReachedException) {
                c.metrics.quorumFailure(name);
            }
            future.completeExceptionally(e);
        }
    }

    final void finish() {
        if (!finished) {
            finished = true;
            c.unregister(this);
            if (deadline != null) {
                deadline.cancel();
            }
            cancelTimers();
            finished();
        }
    }

    /** Called once, when the operation is unregistered. */
    void finished() {
    }
}
