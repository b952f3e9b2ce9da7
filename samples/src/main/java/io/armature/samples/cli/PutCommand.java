package io.armature.samples.cli;

import io.armature.api.Context;
import io.armature.api.KvClient;
import io.armature.api.ReadResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code armature put --cluster HOST:PORT[,...] KEY (VALUE | --value-file PATH|-) [--context TOKEN]}:
 * prints the new context token.
 */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = {"Writes VALUE (or the bytes of --value-file, '-' for standard input) under KEY and prints the new context token.",
        "Without --context the write is blind: it supersedes nothing and may create a sibling."})
final class PutCommand extends ClientCommand {
    /** Reading stops past the largest value the store accepts (64 MiB), so a wrong file cannot fill the heap. */
    private static final int MAX_READ = 64 * 1024 * 1024;

    @Option(names = "--w", paramLabel = "W", description = "Write quorum for this call (default: the cluster's).")
    Integer w;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "The value, in --value-encoding (default UTF-8 text).")
    String value;

    @Option(names = "--value-file", paramLabel = "PATH|-", description = "Write this file's bytes as they are; '-' reads standard input.")
    String valueFile;

    @Option(names = "--value-encoding", defaultValue = "utf8", paramLabel = "utf8|base64|hex", converter = Encoding.Converter.class,
        description = "How VALUE is written (default: ${DEFAULT-VALUE}).")
    Encoding valueEncoding;

    @Option(names = "--context", paramLabel = "TOKEN", converter = Converters.ContextConverter.class,
        description = "Context token of the read this write is based on (from get, put or delete).")
    Context context = Context.empty();

    private byte[] valueBytes;

    @Override
    void prepare() {
        final CommandLine cl = spec.commandLine();
        if ((value == null) == (valueFile == null)) {
            throw new CommandLine.ParameterException(cl, "give exactly one of VALUE and --value-file");
        }
        try {
            if (value != null) {
                valueBytes = valueEncoding.decode(value, "VALUE");
            } else if (valueFile.equals("-")) {
                valueBytes = readAll(parent.stdin(), "standard input");
            } else {
                try (InputStream in = Files.newInputStream(Path.of(valueFile))) {
                    valueBytes = readAll(in, valueFile);
                }
            }
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        } catch (final IOException e) {
            throw new CommandLine.ParameterException(cl, "--value-file " + valueFile + ": cannot read: " + e.getMessage());
        }
    }

    private static byte[] readAll(final InputStream in, final String what) throws IOException {
        final byte[] bytes = in.readNBytes(MAX_READ + 1);
        if (bytes.length > MAX_READ) {
            throw new IllegalArgumentException("--value-file " + what + " holds more than " + MAX_READ + " bytes, the largest value");
        }
        return bytes;
    }

    @Override
    int run(final KvClient client, final byte[] keyBytes, final PrintWriter out) {
        final ReadResult<byte[]> r = client.blocking().put(keyBytes, valueBytes, context, consistency(null, w));
        out.println(json ? contextJson("put", r.context().toToken()) : r.context().toToken());
        return ExitCodes.OK;
    }
}
