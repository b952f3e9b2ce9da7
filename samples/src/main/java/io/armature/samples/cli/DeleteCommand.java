package io.armature.samples.cli;

import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/**
 * {@code armature delete --cluster HOST:PORT[,...] KEY --context TOKEN}: prints the context of the tombstone.
 */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Deletes what the context covers under KEY and prints the new context token.",
        "Values written concurrently with that context survive as siblings."})
final class DeleteCommand extends ClientCommand {
    @Option(names = "--w", paramLabel = "W", description = "Write quorum for this call (default: the cluster's).")
    Integer w;

    @Option(names = "--context", required = true, paramLabel = "TOKEN", converter = Converters.ContextConverter.class,
        description = "Context token of the read the delete is based on.")
    Context context;

    @Override
    int run(final KvClient client, final byte[] keyBytes, final PrintWriter out) {
        final ReadResult<byte[]> r = client.blocking().delete(keyBytes, context, consistency(null, w));
        out.println(json ? contextJson("delete", r.context().toToken()) : r.context().toToken());
        return ExitCodes.OK;
    }
}
