package io.armature.samples.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code armature demo}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Not wired yet.")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.FAILURE;
    }
}
