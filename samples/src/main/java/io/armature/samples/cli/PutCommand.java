package io.armature.samples.cli;

import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * {@code armature put --cluster HOST:PORT[,...] KEY VALUE [--context TOKEN]}: prints the new context token.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = {"Writes VALUE under KEY and prints the new context token.",
        "Without --context the write is blind: it supersedes nothing and may create a sibling."})
final class PutCommand extends ClientCommand {
    @Option(names = "--w", paramLabel = "W", description = "Write quorum for this call (default: the cluster's).")
    Integer w;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The value (UTF-8).")
    String value;

    @Option(names = "--context", paramLabel = "TOKEN", converter = Converters.ContextConverter.class,
        description = "Context token of the read this write is based on (from get, put or delete).")
    Context context = Context.empty();

    @Override
    void run(final KvClient client, final byte[] keyBytes, final PrintWriter out) {
        final ReadResult<byte[]> r = client.blocking().put(keyBytes, value.getBytes(StandardCharsets.UTF_8), context, consistency(null, w));
        out.println(r.context().toToken());
    }
}
