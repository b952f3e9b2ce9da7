package io.armature.samples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * How {@code armature node} logs: java.util.logging (what the engine's System.Logger reaches),
 * at INFO unless told otherwise, one line per event (a failure's cause on the same line, so that
 * line-oriented tools never split an event), to standard error and optionally appended to a file.
 */
final class NodeLogging {
    private NodeLogging() {
    }

    /**
     * @param level the root level
     * @param file a file to append to as well, or null
     */
    static void configure(final Level level, final Path file) {
        final Logger root = Logger.getLogger("");
        for (final Handler h : root.getHandlers()) {
            root.removeHandler(h);
            h.close();
        }
        root.setLevel(level);
        final ConsoleHandler console = new ConsoleHandler();
        console.setLevel(level);
        console.setFormatter(new OneLine());
        root.addHandler(console);
        if (file != null) {
            try {
                final FileHandler fh = new FileHandler(file.toString(), true);
                fh.setLevel(level);
                fh.setFormatter(new OneLine());
                root.addHandler(fh);
            } catch (final IOException e) {
                throw new UncheckedIOException("--log-file " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code 2026-12-02T14:03:07.123Z INFO logger message [cause]}, line breaks escaped. */
    static final class OneLine extends Formatter {
        @Override
        public String format(final LogRecord r) {
            final StringBuilder sb = new StringBuilder(128).append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                .append(r.getLevel().getName()).append(' ').append(r.getLoggerName()).append(' ').append(formatMessage(r));
            for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
                sb.append(t == r.getThrown() ? " | " : " | caused by ").append(t);
            }
            return sb.toString().replace("\r", "\\r").replace("\n", "\\n") + System.lineSeparator();
        }
    }
}
