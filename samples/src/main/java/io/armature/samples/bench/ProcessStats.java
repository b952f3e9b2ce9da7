package io.armature.samples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc}. Elsewhere, or once
 * the process is gone, the figures are empty rather than an error: a benchmark still reports its
 * latencies without them.
 */
public final class ProcessStats {
    /**
     * Clock ticks per second of {@code /proc/PID/stat}'s times: {@code USER_HZ}, 100 on every
     * Linux architecture Java runs on (the kernel's own HZ does not leak into /proc).
     */
    static final long TICKS_PER_SECOND = 100;

    private ProcessStats() {
    }

    /**
     * @param pid a process id
     * @return user plus system CPU time in ticks of 1/100 s, or empty if unreadable
     */
    public static OptionalLong cpuTicks(final long pid) {
        return cpuTicks(Path.of("/proc", Long.toString(pid), "stat"));
    }

    /**
     * @return this process's user plus system CPU time in ticks of 1/100 s, or empty if unreadable
     */
    public static OptionalLong selfCpuTicks() {
        return cpuTicks(ProcessHandle.current().pid());
    }

    static OptionalLong cpuTicks(final Path stat) {
        try {
            return parseStatTicks(Files.readString(stat, StandardCharsets.US_ASCII));
        } catch (final IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * @param stat the text of a {@code /proc/PID/stat} file
     * @return utime + stime, or empty if the text is not one
     */
    static OptionalLong parseStatTicks(final String stat) {
        // The command name (field 2) is in parentheses and may hold spaces or ')': fields are
        // counted from the last ')'. After it: state (3) ... utime (14), stime (15).
        final int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalLong.empty();
        }
        final String[] f = stat.substring(close + 1).trim().split("\\s+");
        if (f.length < 13) {
            return OptionalLong.empty();
        }
        try {
            final long utime = Long.parseLong(f[11]);
            final long stime = Long.parseLong(f[12]);
            return utime < 0 || stime < 0 ? OptionalLong.empty() : OptionalLong.of(utime + stime);
        } catch (final NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * @param pid a process id
     * @return its resident set in bytes ({@code VmRSS}), or empty if unreadable
     */
    public static OptionalLong rssBytes(final long pid) {
        try {
            return parseRss(Files.readString(Path.of("/proc", Long.toString(pid), "status"), StandardCharsets.US_ASCII));
        } catch (final IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    static OptionalLong parseRss(final String status) {
        for (final String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                final String[] f = line.substring(6).trim().split("\\s+");
                try {
                    return OptionalLong.of(Long.parseLong(f[0]) * 1024);
                } catch (final NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
