package io.armature.samples.cli;

import io.armature.spi.PluginRegistry;
import io.armature.spi.Provider;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Option(names = "--json", description = "Print one JSON object (docs/cli-json.md) instead of text.")
    boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final PluginRegistry<?> storage = PluginRegistry.storage();
        final PluginRegistry<?> transport = PluginRegistry.transport();
        if (json) {
            out.println("{\"command\":\"plugins\",\"storage\":" + json(storage) + ",\"transport\":" + json(transport) + "}");
        } else {
            out.println("storage: " + String.join(" ", storage.ids()));
            out.println("transport: " + String.join(" ", transport.ids()));
            out.println("storage plugins: " + storage.describe());
            out.println("transport plugins: " + transport.describe());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String json(final PluginRegistry<?> registry) {
        final StringBuilder sb = new StringBuilder("[");
        for (final String id : registry.ids()) {
            final Provider p = registry.find(id).orElseThrow();
            sb.append(sb.length() == 1 ? "" : ",").append("{\"id\":").append(Json.string(id))
                .append(",\"description\":").append(Json.string(p.description()))
                .append(",\"class\":").append(Json.string(p.getClass().getName()))
                .append(",\"origin\":").append(Json.string(registry.origin(id))).append('}');
        }
        return sb.append(']').toString();
    }
}
