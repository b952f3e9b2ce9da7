package io.armature.samples.cli;

import io.armature.api.InvalidRequestException;
import io.armature.spi.transport.Endpoint;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * @return the seeds given
     */
    public List<Endpoint> seeds() {
        return List.copyOf(seeds);
    }

    /**
     * @return the secret's bytes, or null without {@code --secret-file}
     */
    public byte[] secret() {
        return readSecret(secretFile);
    }

    /**
     * @param file a secret file, or null
     * @return its content without surrounding white space, or null
     */
    static byte[] readSecret(final Path file) {
        if (file == null) {
            return null;
        }
        try {
            final byte[] secret = Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
            if (secret.length == 0) {
                throw new InvalidRequestException("secret file " + file + " is empty");
            }
            return secret;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file + ": " + e.getMessage(), e);
        }
    }
}
