package io.armature.samples.cli;

import io.armature.spi.PluginRegistry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code armature plugins}: the storage and transport plugins found on the class path, with the
 * jar each came from (what {@code --storage} and {@code --transport} accept).
 */
@Command(name = "plugins", mixinStandardHelpOptions = true,
    description = "Lists the storage and transport plugins found, and the jar each came from.")
final class PluginsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        out.println("storage: " + String.join(" ", PluginRegistry.storage().ids()));
        out.println("transport: " + String.join(" ", PluginRegistry.transport().ids()));
        out.println("storage plugins: " + PluginRegistry.storage().describe());
        out.println("transport plugins: " + PluginRegistry.transport().describe());
        out.flush();
        return ExitCodes.OK;
    }
}
