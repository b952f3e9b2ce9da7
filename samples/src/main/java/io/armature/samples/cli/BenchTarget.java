package io.armature.samples.cli;

import io.armature.api.KvClient;

/**
 * The cluster a benchmark runs against, and what to close when it is done.
 */
interface BenchTarget extends AutoCloseable {
    /**
     * @return the client to measure
     */
    KvClient client();

    /**
     * @return a few words for the report
     */
    String description();

    @Override
    void close();

    /**
     * @param client a client of a running cluster
     * @param description a few words
     * @return a target that closes the client
     */
    static BenchTarget of(final KvClient client, final String description) {
        return new BenchTarget() {
            @Override
            public KvClient client() {
                return client;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
