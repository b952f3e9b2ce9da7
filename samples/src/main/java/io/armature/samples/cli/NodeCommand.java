package io.armature.samples.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code armature node}.
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Not wired yet.")
final class NodeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.FAILURE;
    }
}
