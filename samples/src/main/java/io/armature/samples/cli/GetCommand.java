package io.armature.samples.cli;

import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code armature get --cluster HOST:PORT[,...] [--json] KEY}: prints every sibling and the context.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {"Reads KEY and prints every sibling, one 'value: ' line each, then 'context: TOKEN'.",
        "A missing or deleted key prints no value line. Pass the token to the next put or delete."})
final class GetCommand extends ClientCommand {
    @Option(names = "--r", paramLabel = "R", description = "Read quorum for this call (default: the cluster's).")
    Integer r;

    @Option(names = "--json", description = "Print {\"values\":[...],\"context\":\"...\"} instead.")
    boolean json;

    @Override
    void run(final KvClient client, final byte[] keyBytes, final PrintWriter out) {
        final ReadResult<byte[]> result = client.blocking().get(keyBytes, consistency(r, null));
        final List<String> values = texts(result);
        if (json) {
            final StringBuilder sb = new StringBuilder("{\"values\":[");
            for (int i = 0; i < values.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(Json.string(values.get(i)));
            }
            out.println(sb.append("],\"context\":").append(Json.string(result.context().toToken())).append('}'));
        } else {
            for (final String v : values) {
                out.println("value: " + v);
            }
            out.println("context: " + result.context().toToken());
        }
    }
}
