package io.armature.samples.cli;

import io.armature.api.ClusterUnavailableException;

import java.io.PrintStream;

/**
 * Starts an in-JVM cluster for {@code armature bench --embedded S}.
 */
final class EmbeddedBench {
    private EmbeddedBench() {
    }

    static BenchTarget start(final int nodes, final String storage, final String transport, final Integer n,
                             final Integer r, final Integer w, final PrintStream err) {
        throw new ClusterUnavailableException("embedded cluster not wired yet");
    }
}
