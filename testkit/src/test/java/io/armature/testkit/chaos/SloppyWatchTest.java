package io.armature.testkit.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armature.testkit.sim.check.RunFacts.Stretch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SloppyWatchTest {
    private static Map<String, Double> counts(final Double n1, final Double n2) {
        final Map<String, Double> m = new HashMap<>();
        m.put("n1", n1);
        m.put("n2", n2);
        return m;
    }

    @Test
    void aRisenCountOpensAStretchFromTheLastQuietPollToTheNextQuietOne() {
        final SloppyWatch w = new SloppyWatch();
        w.poll(0, 5, counts(0.0, 0.0));
        w.poll(10, 15, counts(0.0, 0.0));
        w.poll(20, 25, counts(0.0, 0.0));
        w.poll(30, 35, counts(1.0, 0.0));
        w.poll(40, 45, counts(1.0, 0.0));
        w.poll(50, 55, counts(1.0, 0.0));
        assertEquals(List.of(new Stretch(Long.MIN_VALUE, 5), new Stretch(20, 35), new Stretch(50, Long.MAX_VALUE)), w.finish());
    }

    @Test
    void aSilentNodeKeepsTheStretchOpenUntilItAnswersTwiceTheSame() {
        final SloppyWatch w = new SloppyWatch();
        w.poll(0, 5, counts(3.0, 0.0));
        w.poll(10, 15, counts(3.0, 0.0));
        w.poll(20, 25, counts(3.0, null));
        w.poll(30, 35, counts(3.0, null));
        w.poll(40, 45, counts(3.0, 0.0));
        w.poll(50, 55, counts(3.0, 0.0));
        w.poll(60, 65, counts(3.0, 0.0));
        assertEquals(List.of(new Stretch(Long.MIN_VALUE, 5), new Stretch(10, 45), new Stretch(60, Long.MAX_VALUE)), w.finish());
    }

    @Test
    void aStretchStillOpenAtTheEndRunsToTheEnd() {
        final SloppyWatch w = new SloppyWatch();
        w.poll(0, 5, counts(0.0, 0.0));
        w.poll(10, 15, counts(0.0, 0.0));
        w.poll(20, 25, counts(0.0, 2.0));
        assertEquals(List.of(new Stretch(Long.MIN_VALUE, 5), new Stretch(10, Long.MAX_VALUE)), w.finish());
    }
}
