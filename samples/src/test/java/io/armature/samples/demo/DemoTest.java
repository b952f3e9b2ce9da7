package io.armature.samples.demo;

import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoTest {
    private static void checkNarration(final CliRun r) {
        assertEquals(0, r.exitCode(), r.toString());
        final String out = r.out();
        int at = 0;
        for (int i = 0; i < Demo.STEPS.size(); i++) {
            final String heading = "== " + (i + 1) + "/" + Demo.STEPS.size() + " " + Demo.STEPS.get(i);
            final int found = out.indexOf(heading, at);
            assertTrue(found >= at, "step in order: " + heading + "\n" + out);
            at = found;
        }
        assertTrue(out.contains("'hello, dynamo'"), out);
        assertTrue(out.contains("a read now returns 2 siblings"), out);
        assertTrue(out.contains("now 1 value: [book, lamp, pen]"), out);
        assertTrue(out.contains("removing 'lamp' leaves [book, pen]"), out);
        assertTrue(out.contains("all reached W=2"), out);
        assertTrue(out.contains("caught up by"), "the stopped node catches up: " + out);
        assertTrue(out.lines().filter(l -> l.matches("  node-\\d owns +\\d+, replicates +\\d+: .*")).count() == 5, out);
        final Matcher removed = Pattern.compile("removed (\\S+?)( and|;|\\n|$)").matcher(out);
        assertTrue(removed.find(), out);
        assertFalse(Files.exists(Path.of(removed.group(1))), "the temporary directory is gone");
        assertFalse(out.contains("is still there"), out);
        assertTrue(out.contains("done in "), out);
    }

    @Test
    void theDemoNarratesEveryStepOnMemoryAndLocal() {
        checkNarration(CliRun.run(new FakeConnector(), "demo", "--storage", "memory", "--transport", "local"));
    }

    @Test
    void theDemoRunsOnTheDefaultPlugins() {
        final CliRun r = CliRun.run(new FakeConnector(), "demo");
        checkNarration(r);
        assertTrue(r.out().contains("storage 'bdb'") && r.out().contains("transport 'aeron'"), r.out());
        assertTrue(r.out().contains("and the Aeron directory"), r.out());
        assertTrue(List.of(r.out().split("\n")).stream().anyMatch(l -> l.contains("listens on 127.0.0.1:")), r.out());
    }
}
