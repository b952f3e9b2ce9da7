package io.armature.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.samples.testing.CliRun;
import io.armature.samples.testing.FakeConnector;
import io.armature.testkit.chaos.Hosts;
import org.junit.jupiter.api.Test;

class ChaosCommandTest {
    @Test
    void helpNamesTheHostsItMakesAndBadOptionsAreUsageErrors() {
        final CliRun help = CliRun.run(new FakeConnector(), "chaos", "--help");
        assertEquals(0, help.exitCode(), help.toString());
        assertTrue(help.out().contains("armchaos-br") && help.out().contains("--seconds"), help.out());
        if (Hosts.unavailableReason() == null) {
            final CliRun bad = CliRun.run(new FakeConnector(), "chaos", "--runs", "0");
            assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.toString());
            final CliRun tooMany = CliRun.run(new FakeConnector(), "chaos", "--nodes", "12", "--seconds", "1");
            assertEquals(ExitCodes.USAGE, tooMany.exitCode(), tooMany.toString());
            assertTrue(tooMany.err().contains("3..9"), tooMany.err());
        }
    }
}
