package io.armature.samples.cli;

import io.armature.api.Consistency;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * What put, get and delete share: connect, run one request, print, close.
 */
abstract class ClientCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    ArmatureCli parent;

    @CommandLine.Mixin
    ClusterOptions cluster;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8).")
    String key;

    @Override
    public final Integer call() {
        try (KvClient client = parent.connector().connect(cluster.seeds(), cluster.secret())) {
            final PrintWriter out = spec.commandLine().getOut();
            run(client, key.getBytes(StandardCharsets.UTF_8), out);
            out.flush();
            return ExitCodes.OK;
        }
    }

    /**
     * @param client a connected client
     * @param keyBytes the key
     * @param out standard output
     */
    abstract void run(KvClient client, byte[] keyBytes, PrintWriter out);

    /**
     * @param r a read quorum or null
     * @param w a write quorum or null
     * @return the per-call consistency
     */
    static Consistency consistency(final Integer r, final Integer w) {
        Consistency c = Consistency.defaults();
        if (r != null) {
            c = c.withR(r);
        }
        if (w != null) {
            c = c.withW(w);
        }
        return c;
    }

    /**
     * @param result a result
     * @return its values as UTF-8 text (malformed bytes become U+FFFD)
     */
    static List<String> texts(final ReadResult<byte[]> result) {
        return result.map(v -> new String(v, StandardCharsets.UTF_8)).values();
    }
}
