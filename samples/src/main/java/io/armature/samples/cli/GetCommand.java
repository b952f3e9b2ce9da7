package io.armature.samples.cli;

import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code armature get --cluster HOST:PORT[,...] [--json] KEY}: prints every sibling and the context;
 * a key with no value exits with {@link ExitCodes#NOT_FOUND}.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {"Reads KEY and prints every sibling, one 'value: ' line each, then 'context: TOKEN'.",
        "A missing or deleted key prints no value line and exits with code 7. Pass the token to the next put or delete."})
final class GetCommand extends ClientCommand {
    @Option(names = "--r", paramLabel = "R", description = "Read quorum for this call (default: the cluster's).")
    Integer r;

    @Option(names = "--value-encoding", defaultValue = "utf8", paramLabel = "utf8|base64|hex", converter = Encoding.Converter.class,
        description = "How values are printed (default: ${DEFAULT-VALUE}); base64 or hex for bytes that are not text.")
    Encoding valueEncoding;

    @Override
    int run(final KvClient client, final byte[] keyBytes, final PrintWriter out) {
        final ReadResult<byte[]> result = client.blocking().get(keyBytes, consistency(r, null));
        final boolean found = !result.values().isEmpty();
        if (json) {
            final StringBuilder sb = new StringBuilder("{\"command\":\"get\",\"found\":").append(found)
                .append(",\"encoding\":").append(Json.string(valueEncoding.id())).append(",\"values\":[");
            boolean first = true;
            for (final byte[] v : result.values()) {
                sb.append(first ? "" : ",").append(Json.string(valueEncoding.encode(v)));
                first = false;
            }
            out.println(sb.append("],\"context\":").append(Json.string(result.context().toToken())).append('}'));
        } else {
            for (final byte[] v : result.values()) {
                out.println("value: " + valueEncoding.encode(v));
            }
            out.println("context: " + result.context().toToken());
        }
        return found ? ExitCodes.OK : ExitCodes.NOT_FOUND;
    }
}
