package io.armature.testkit.transport;

import io.armature.spi.transport.MessageHandler;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MessageHandler} for transport tests: copies every message it receives and records
 * whether the transport ever called it concurrently or from more than one thread.
 */
public final class Received implements MessageHandler {
    private final List<byte[]> messages = new ArrayList<>();
    private final AtomicInteger inside = new AtomicInteger();
    private volatile boolean overlapped;
    private volatile Thread thread;
    private volatile boolean threadChanged;

    @Override
    public void onMessage(final ByteBuffer message) {
        if (inside.incrementAndGet() != 1) {
            overlapped = true;
        }
        final Thread current = Thread.currentThread();
        if (thread == null) {
            thread = current;
        } else if (thread != current) {
            threadChanged = true;
        }
        final int position = message.position();
        final byte[] copy = new byte[message.remaining()];
        message.get(copy);
        message.position(position);
        synchronized (messages) {
            messages.add(copy);
        }
        inside.decrementAndGet();
    }

    /**
     * @return how many messages arrived so far
     */
    public int count() {
        synchronized (messages) {
            return messages.size();
        }
    }

    /**
     * @return a copy of the messages that arrived so far, in arrival order
     */
    public List<byte[]> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /**
     * @return true if two calls ever overlapped (a contract violation)
     */
    public boolean overlapped() {
        return overlapped;
    }

    /**
     * @return true if calls came from more than one thread
     */
    public boolean threadChanged() {
        return threadChanged;
    }
}
