package io.armature.samples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * CPU seconds that this process and a few others (the nodes of a cluster on this machine) spent
 * during one phase, and their resident memory at its end. Start it before the phase and call
 * {@link #stop()} after.
 */
public final class CpuUsage {
    private final List<Long> pids;
    private final long selfStart;
    private final long[] start;
    private final long wallStart;
    private Result result;

    /**
     * One process's figures; -1 where they could not be read.
     *
     * @param pid the process ({@code 0} for this one, the client)
     * @param cpuSeconds user plus system CPU seconds during the phase
     * @param rssBytes resident memory at the end
     */
    public record Process(long pid, double cpuSeconds, long rssBytes) {
    }

    /**
     * @param wallSeconds the phase's length
     * @param client this process
     * @param others the processes asked for, in order
     */
    public record Result(double wallSeconds, Process client, List<Process> others) {
        /**
         * @return the phase's CPU figures as the members of a JSON object (no braces)
         */
        public String jsonMembers() {
            final StringBuilder sb = new StringBuilder("\"wall_seconds\":").append(fmt(wallSeconds))
                .append(",\"client_cpu_seconds\":").append(fmt(client.cpuSeconds())).append(",\"processes\":[");
            for (int i = 0; i < others.size(); i++) {
                final Process p = others.get(i);
                sb.append(i == 0 ? "" : ",").append("{\"pid\":").append(p.pid()).append(",\"cpu_seconds\":").append(fmt(p.cpuSeconds()))
                    .append(",\"rss_bytes\":").append(p.rssBytes()).append('}');
            }
            return sb.append(']').toString();
        }
    }

    private CpuUsage(final List<Long> pids) {
        this.pids = List.copyOf(pids);
        this.wallStart = System.nanoTime();
        this.selfStart = ProcessStats.selfCpuTicks().orElse(-1);
        this.start = new long[this.pids.size()];
        for (int i = 0; i < start.length; i++) {
            start[i] = ProcessStats.cpuTicks(this.pids.get(i)).orElse(-1);
        }
    }

    /**
     * @param pids the other processes to watch (may be empty)
     * @return a running measurement
     */
    public static CpuUsage start(final List<Long> pids) {
        return new CpuUsage(pids);
    }

    /**
     * @return the figures from the start until now (the same ones on a second call)
     */
    public synchronized Result stop() {
        if (result == null) {
            final double wall = (System.nanoTime() - wallStart) / 1e9;
            final Process self = new Process(0, seconds(selfStart, ProcessStats.selfCpuTicks()),
                ProcessStats.rssBytes(ProcessHandle.current().pid()).orElse(-1));
            final List<Process> others = new ArrayList<>();
            for (int i = 0; i < start.length; i++) {
                final long pid = pids.get(i);
                others.add(new Process(pid, seconds(start[i], ProcessStats.cpuTicks(pid)), ProcessStats.rssBytes(pid).orElse(-1)));
            }
            result = new Result(wall, self, List.copyOf(others));
        }
        return result;
    }

    private static double seconds(final long before, final OptionalLong after) {
        return before < 0 || after.isEmpty() ? -1 : (after.getAsLong() - before) / (double) ProcessStats.TICKS_PER_SECOND;
    }

    static String fmt(final double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }
}
