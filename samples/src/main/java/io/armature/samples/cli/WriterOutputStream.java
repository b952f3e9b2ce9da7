package io.armature.samples.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Lets code that prints to a {@link java.io.PrintStream} write to picocli's {@link PrintWriter}
 * (so that tests capture it): bytes are buffered and written as UTF-8 text at each flush.
 */
final class WriterOutputStream extends OutputStream {
    private final PrintWriter writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    WriterOutputStream(final PrintWriter writer) {
        this.writer = writer;
    }

    @Override
    public synchronized void write(final int b) {
        buffer.write(b);
    }

    @Override
    public synchronized void write(final byte[] b, final int off, final int len) {
        buffer.write(b, off, len);
    }

    @Override
    public synchronized void flush() {
        writer.write(buffer.toString(StandardCharsets.UTF_8));
        buffer.reset();
        writer.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
