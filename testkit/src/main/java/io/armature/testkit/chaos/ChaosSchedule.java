package io.armature.testkit.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A run's nemeses, generated from its seed: every kind of the config's once, in a seeded order, one at a time,
 * each followed by a healed gap; then again in a new order while the time budget lasts. At most
 * W - 1 wipes per run, never of n1, so that no acknowledged write can lose all of its W copies
 * (the checker's wipe rule is then sound), and no two faults ever overlap.
 *
 * @param nemeses in order of start
 * @param seconds when the last one has ended
 */
public record ChaosSchedule(List<Nemesis> nemeses, int seconds) {
    /** The healed gap before each nemesis, seconds. */
    static final int GAP = 2;

    /**
     * Copies.
     *
     * @param nemeses nemeses
     * @param seconds end
     */
    public ChaosSchedule {
        nemeses = List.copyOf(nemeses);
    }

    /**
     * @param config the run
     * @return its schedule
     */
    public static ChaosSchedule generate(final ChaosConfig config) {
        final SplittableRandom random = new SplittableRandom(config.seed());
        final List<Nemesis> out = new ArrayList<>();
        int t = GAP;
        int wipes = 0;
        do {
            final List<Nemesis.Kind> kinds = new ArrayList<>(config.kinds());
            Collections.shuffle(kinds, new Random(random.nextLong()));
            for (final Nemesis.Kind kind : kinds) {
                if (kind == Nemesis.Kind.WIPE && wipes >= config.w() - 1) {
                    continue;
                }
                final int length = kind == Nemesis.Kind.PAUSE ? config.pauseSeconds() : 4 + random.nextInt(2);
                out.add(make(kind, t, t + length, config.nodes(), random));
                if (kind == Nemesis.Kind.WIPE) {
                    wipes++;
                }
                t += length + GAP + random.nextInt(2);
            }
        } while (t < config.seconds());
        return new ChaosSchedule(out, t);
    }

    private static Nemesis make(final Nemesis.Kind kind, final int start, final int end, final int nodes, final SplittableRandom random) {
        final List<Integer> all = new ArrayList<>(IntStream.rangeClosed(1, nodes).boxed().toList());
        Collections.shuffle(all, new Random(random.nextLong()));
        final int one = 1 + random.nextInt(nodes);
        return switch (kind) {
            case PARTITION_HALVES -> new Nemesis(kind, start, end, List.of(all.subList(0, nodes / 2), all.subList(nodes / 2, nodes)), 0);
            case PARTITION_MAJORITY -> {
                final int minority = (nodes - 1) / 2;
                yield new Nemesis(kind, start, end, List.of(all.subList(minority, nodes), all.subList(0, minority)), 0);
            }
            case PARTITION_BRIDGE -> {
                final int bridge = all.get(0);
                final List<Integer> rest = all.subList(1, nodes);
                final int half = rest.size() / 2;
                yield new Nemesis(kind, start, end, List.of(rest.subList(0, half), rest.subList(half, rest.size()), List.of(bridge)), 0);
            }
            case PARTITION_ONE_WAY -> {
                final List<Integer> others = new ArrayList<>(all);
                others.remove(Integer.valueOf(one));
                yield new Nemesis(kind, start, end, List.of(others, List.of(one)), one);
            }
            case WIPE -> new Nemesis(kind, start, end, List.of(), 2 + random.nextInt(nodes - 1));
            case KILL, PAUSE, CLOCK_JUMP -> new Nemesis(kind, start, end, List.of(), one);
        };
    }

    /**
     * @param second seconds since the workload began
     * @return the nemesis in force then, or null
     */
    public Nemesis at(final double second) {
        for (final Nemesis n : nemeses) {
            if (second >= n.start() && second < n.end()) {
                return n;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder();
        for (final Nemesis n : nemeses) {
            b.append(n).append('\n');
        }
        return b.toString();
    }
}
