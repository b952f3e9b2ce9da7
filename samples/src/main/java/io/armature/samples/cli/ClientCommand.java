package io.armature.samples.cli;

import io.armature.api.Consistency;
import io.armature.api.KvClient;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
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

    @CommandLine.Parameters(index = "0", paramLabel = "KEY", description = "The key, in --key-encoding (default UTF-8 text).")
    String key;

    @Option(names = "--key-encoding", defaultValue = "utf8", paramLabel = "utf8|base64|hex", converter = Encoding.Converter.class,
        description = "How KEY is written (default: ${DEFAULT-VALUE}).")
    Encoding keyEncoding;

    @Option(names = "--json", description = "Print one JSON object (docs/cli-json.md) instead of text.")
    boolean json;

    @Override
    public final Integer call() {
        final byte[] keyBytes;
        try {
            keyBytes = keyEncoding.decode(key, "KEY");
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        prepare();
        try (KvClient client = parent.connector().connect(cluster.seeds(), cluster.secret())) {
            final PrintWriter out = spec.commandLine().getOut();
            final int code = run(client, keyBytes, out);
            out.flush();
            return code;
        }
    }

    /** Reads and checks the command's own input before connecting; throws ParameterException. */
    void prepare() {
    }

    /**
     * @param client a connected client
     * @param keyBytes the key
     * @param out standard output
     * @return the exit code
     */
    abstract int run(KvClient client, byte[] keyBytes, PrintWriter out);

    /**
     * @param r a read quorum or null
     * @param w a write quorum or null
     * @return the per-call consistency, with {@code --timeout} if given
     */
    Consistency consistency(final Integer r, final Integer w) {
        Consistency c = Consistency.defaults();
        if (r != null) {
            c = c.withR(r);
        }
        if (w != null) {
            c = c.withW(w);
        }
        if (cluster.timeout() != null) {
            c = c.withTimeout(cluster.timeout());
        }
        return c;
    }

    /**
     * @param command the command's name
     * @param token the new context token
     * @return the JSON answer of put and delete
     */
    static String contextJson(final String command, final String token) {
        return "{\"command\":" + Json.string(command) + ",\"context\":" + Json.string(token) + "}";
    }
}
