package io.armature.testkit.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ChaosScheduleProperties {
    private static ChaosConfig config(final int nodes, final long seed, final int seconds) {
        final ChaosConfig base = ChaosConfig.longRun(List.of("armature"), Path.of("unused"), seed, seconds);
        return new ChaosConfig(nodes, 3, 2, 2, 64, base.clients(), base.keys(), seed, seconds, base.pauseSeconds(),
            base.clockJumpSeconds(), base.repairSeconds(), base.launcher(), base.nodeSettings(), base.outputDir(), base.kinds());
    }

    @Property(tries = 200)
    void everyKindStrikesFaultsNeverOverlapAndWipesStayBelowW(@ForAll @IntRange(min = 3, max = 9) final int nodes,
                                                              @ForAll final long seed,
                                                              @ForAll @IntRange(min = 1, max = 600) final int seconds) {
        final ChaosConfig c = config(nodes, seed, seconds);
        final ChaosSchedule s = ChaosSchedule.generate(c);
        assertEquals(EnumSet.allOf(Nemesis.Kind.class), s.nemeses().stream().map(Nemesis::kind)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(Nemesis.Kind.class))), s.toString());
        assertTrue(s.seconds() >= seconds, "the schedule fills its budget: " + s.seconds() + " < " + seconds);
        int previousEnd = 0;
        int wipes = 0;
        for (final Nemesis n : s.nemeses()) {
            assertTrue(n.start() >= previousEnd + ChaosSchedule.GAP, "a healed gap before " + n + " in\n" + s);
            previousEnd = n.end();
            if (n.kind() == Nemesis.Kind.WIPE) {
                wipes++;
                assertTrue(n.node() >= 2 && n.node() <= nodes, "n1 (whose first start made the ring) is never wiped: " + n);
            }
            if (n.kind() == Nemesis.Kind.PAUSE) {
                assertEquals(c.pauseSeconds(), n.end() - n.start(), "a pause lasts longer than the failure detector's threshold");
            }
            if (n.kind().partition()) {
                final List<Integer> all = new ArrayList<>();
                n.sides().forEach(all::addAll);
                final Set<Integer> distinct = new TreeSet<>(all);
                assertEquals(all.size(), distinct.size(), "no node is on two sides: " + n);
                assertEquals(nodes, distinct.size(), "every node is on a side: " + n);
                assertTrue(n.sides().stream().noneMatch(List::isEmpty), "no empty side: " + n);
            } else {
                assertTrue(n.node() >= 1 && n.node() <= nodes, n.toString());
            }
        }
        assertTrue(wipes <= c.w() - 1, "at most W - 1 wipes, so no acknowledged write loses all its copies: " + wipes);
    }

    @Property(tries = 50)
    void oneSeedOneSchedule(@ForAll final long seed) {
        assertEquals(ChaosSchedule.generate(config(5, seed, 120)), ChaosSchedule.generate(config(5, seed, 120)));
    }
}
