package io.armature.testkit.sim.schedule;

/**
 * One client operation of a schedule: client {@code client} waits {@code thinkMillis} after its
 * previous operation completed, then runs {@code kind} on key {@code k<key>}.
 *
 * @param client the client's number, from 0
 * @param key the key's number, from 0 (the key is {@code k<key>})
 * @param kind what it does
 * @param thinkMillis virtual milliseconds to wait after the client's previous operation
 */
public record ClientStep(int client, int key, StepKind kind, int thinkMillis) {
    /**
     * Validates the numbers.
     *
     * @param client client
     * @param key key
     * @param kind kind
     * @param thinkMillis wait
     */
    public ClientStep {
        if (client < 0 || key < 0 || thinkMillis < 0) {
            throw new IllegalArgumentException("client, key and think time must be at least 0");
        }
    }

    /**
     * @return the text form, {@code c<client>:<kind>:k<key>:+<think>}
     */
    @Override
    public String toString() {
        return "c" + client + ":" + kind.token() + ":k" + key + ":+" + thinkMillis;
    }

    /**
     * @param text the form {@link #toString()} gives
     * @return the step
     */
    public static ClientStep parse(final String text) {
        final String[] p = text.trim().split(":");
        if (p.length != 4 || !p[0].startsWith("c") || !p[2].startsWith("k") || !p[3].startsWith("+")) {
            throw new IllegalArgumentException("client step '" + text + "' is not c<n>:<kind>:k<n>:+<ms>");
        }
        return new ClientStep(Integer.parseInt(p[0].substring(1)), Integer.parseInt(p[2].substring(1)),
            StepKind.ofToken(p[1]), Integer.parseInt(p[3].substring(1)));
    }
}
