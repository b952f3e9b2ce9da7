package io.armature.testkit.sim.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One injected fault: it starts {@code atMillis} after the clients start and lasts
 * {@code durationMillis}, then heals by itself. Immutable.
 *
 * @param kind what fails
 * @param atMillis virtual start, milliseconds after the clients start
 * @param durationMillis how long it lasts
 * @param arg the node for a crash, power loss, wipe or leave; a bit mask of the nodes on one side for a partition
 *     (the others form the other side); the loss percentage for loss; the first seed of a join
 */
public record Fault(Kind kind, int atMillis, int durationMillis, int arg) {
    /** The kinds of fault. */
    public enum Kind {
        /** Split the nodes into two sides that cannot reach each other. */
        PARTITION,
        /** Crash a node; it restarts with its storage kept. */
        CRASH,
        /** Crash a node and lose its storage for good; it restarts empty (a replacement). */
        WIPE,
        /** Lose the given percentage of all messages. */
        LOSS,
        /**
         * Cut a node's power: it restarts with what its storage had synced, and may have lost
         * any tail of the writes after its last sync point (unless its durability is {@code sync}).
         */
        POWER,
        /**
         * Slow a node down: every message it sends or receives takes longer. The argument is
         * {@code node + 1000 * extra milliseconds}.
         */
        SLOW,
        /**
         * A new node joins the running cluster through the first nodes as seeds, starting with
         * the one the argument names; it takes partitions from the others, which stream them to it.
         * It stays: the duration only keeps the clients' phase going at least that long.
         */
        JOIN,
        /**
         * The operator decommissions a member ({@code cluster leave}): a ring without it is
         * installed, its partitions stream to their gainers, and the node is stopped for good once
         * it gossips {@code left}. A leave that would leave fewer than N members is not made. The
         * duration only keeps the clients' phase going at least that long.
         */
        LEAVE,
        /**
         * Pause a node, as SIGSTOP or a long GC pause does: it keeps its state and its inbound
         * messages, runs nothing for the duration, then runs everything that came due, late.
         */
        PAUSE,
        /**
         * Jump a node's wall clock (its SPI {@code Clock.currentTimeMillis}) by whole seconds,
         * forward or back, while its scheduler and monotonic time go on; at the end it jumps back
         * (a corrected clock). The argument is {@code node + 1000 * seconds}, negative for a jump
         * back: its node is {@code floorMod(arg, 1000)}, its seconds {@code floorDiv(arg, 1000)}.
         */
        CLOCK
    }

    /**
     * @return the node of a slow node or a clock jump, which carry more in their argument
     */
    public int node() {
        return Math.floorMod(arg, 1000);
    }

    /**
     * @return a clock jump's seconds, negative for a jump back
     */
    public int clockSeconds() {
        return Math.floorDiv(arg, 1000);
    }

    /**
     * @return true for a membership change (a join or a leave), which moves partitions
     */
    public boolean isMove() {
        return kind == Kind.JOIN || kind == Kind.LEAVE;
    }

    /**
     * Validates the numbers.
     *
     * @param kind kind
     * @param atMillis start
     * @param durationMillis duration
     * @param arg node, side mask or percentage
     */
    public Fault {
        if (atMillis < 0 || durationMillis < 1 || arg < 0 && kind != Kind.CLOCK) {
            throw new IllegalArgumentException("fault start and argument must be at least 0 and duration at least 1");
        }
        if (kind == Kind.LOSS && arg > 100) {
            throw new IllegalArgumentException("loss percentage must be in 0..100, was " + arg);
        }
    }

    /**
     * @return the text form, for example {@code partition@120+300:5}, {@code crash@50+100:2}, {@code loss@0+500:20}
     */
    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + "@" + atMillis + "+" + durationMillis + ":" + arg;
    }

    /**
     * @param nodes the cluster size
     * @return a sentence for people, naming nodes {@code n1..nS}
     */
    public String describe(final int nodes) {
        final String span = " at " + atMillis + "ms for " + durationMillis + "ms";
        switch (kind) {
            case PARTITION: {
                final List<String> a = new ArrayList<>();
                final List<String> b = new ArrayList<>();
                for (int i = 0; i < nodes; i++) {
                    ((arg >> i & 1) == 1 ? a : b).add("n" + (i + 1));
                }
                return "partition {" + String.join(",", a) + "} | {" + String.join(",", b) + "}" + span;
            }
            case CRASH:
                return "crash n" + (arg + 1) + span + ", restart with storage";
            case WIPE:
                return "crash n" + (arg + 1) + span + ", restart wiped";
            case POWER:
                return "power off n" + (arg + 1) + span + ", restart with what was synced";
            case SLOW:
                return "slow n" + (arg % 1000 + 1) + " by " + arg / 1000 + "ms per message" + span;
            case JOIN:
                return "a new node joins through n" + (arg + 1) + " at " + atMillis + "ms";
            case LEAVE:
                return "n" + (arg + 1) + " leaves the ring at " + atMillis + "ms, stopped once its partitions moved";
            case PAUSE:
                return "pause n" + (arg + 1) + span;
            case CLOCK:
                return "the clock of n" + (node() + 1) + " jumps " + (clockSeconds() < 0 ? "back " : "forward ")
                    + Math.abs(clockSeconds()) + "s" + span;
            default:
                return "lose " + arg + "% of messages" + span;
        }
    }

    /**
     * @param text the form {@link #toString()} gives
     * @return the fault
     */
    public static Fault parse(final String text) {
        final String t = text.trim();
        final int at = t.indexOf('@');
        final int plus = t.indexOf('+', at);
        final int colon = t.indexOf(':', plus);
        if (at < 0 || plus < 0 || colon < 0) {
            throw new IllegalArgumentException("fault '" + text + "' is not kind@start+duration:arg");
        }
        return new Fault(Kind.valueOf(t.substring(0, at).toUpperCase(Locale.ROOT)), Integer.parseInt(t.substring(at + 1, plus)),
            Integer.parseInt(t.substring(plus + 1, colon)), Integer.parseInt(t.substring(colon + 1)));
    }
}
