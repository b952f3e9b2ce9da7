package io.armature.samples.cli;

import io.armature.api.InvalidRequestException;
import io.armature.engine.config.SecretFile;
import io.armature.spi.transport.Endpoint;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The options every client command shares: where the cluster is, and its secret.
 */
public final class ClusterOptions {
    @Option(names = "--cluster", required = true, split = ",", paramLabel = "HOST:PORT",
        converter = Converters.EndpointConverter.class,
        description = "Nodes to contact, comma separated; the first that answers serves the request.")
    List<Endpoint> seeds;

    @Option(names = "--secret-file", paramLabel = "PATH",
        description = "File holding the cluster secret, if the cluster has one.")
    Path secretFile;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
        description = "Give up after this long (30s, 500ms, 2m; plain numbers are seconds): exit code 4. Default: the cluster's request timeout.")
    Duration timeout;

    /**
     * @return the seeds given
     */
    public List<Endpoint> seeds() {
        return List.copyOf(seeds);
    }

    /**
     * @return the {@code --timeout} given, or null for the default
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * @return the secret's bytes, or null without {@code --secret-file}
     */
    public byte[] secret() {
        return readSecret(secretFile);
    }

    /**
     * @param file a secret file, or null
     * @return the secret as the engine reads it ({@link SecretFile}: owner-only permissions,
     *     trailing line ends dropped), or null without a file
     * @throws InvalidRequestException naming the file if it cannot be used
     */
    static byte[] readSecret(final Path file) {
        if (file == null) {
            return null;
        }
        try {
            return SecretFile.read(file);
        } catch (final IllegalArgumentException e) {
            throw new InvalidRequestException("--secret-file: " + e.getMessage());
        }
    }
}
