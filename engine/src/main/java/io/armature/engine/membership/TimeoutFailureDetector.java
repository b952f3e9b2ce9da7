package io.armature.engine.membership;

import io.armature.engine.ring.NodeId;
import io.armature.spi.runtime.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Suspects a peer after a number of consecutive replica timeouts, trusts it again on any message
 * from it, and lets requests probe a suspect again after a retry interval (without gossip, a
 * suspect that is never asked could never prove it is back). Not thread-safe: event loop only.
 */
public final class TimeoutFailureDetector implements FailureDetector {
    private final Clock clock;
    private final int suspectAfter;
    private final long retryNanos;
    private final Map<NodeId, long[]> states = new HashMap<>();

    /**
     * @param clock the node's clock
     * @param suspectAfter consecutive timeouts before suspicion
     * @param retryNanos how long a suspect is skipped before it is tried again
     */
    public TimeoutFailureDetector(final Clock clock, final int suspectAfter, final long retryNanos) {
        this.clock = clock;
        this.suspectAfter = suspectAfter;
        this.retryNanos = retryNanos;
    }

    @Override
    public boolean isAvailable(final NodeId node) {
        final long[] s = states.get(node);
        if (s == null || s[0] < suspectAfter) {
            return true;
        }
        return clock.nanoTime() - s[1] >= retryNanos;
    }

    @Override
    public void heard(final NodeId node) {
        states.remove(node);
    }

    @Override
    public void timedOut(final NodeId node) {
        final long[] s = states.computeIfAbsent(node, k -> new long[2]);
        s[0]++;
        if (s[0] >= suspectAfter) {
            s[1] = clock.nanoTime();
        }
    }
}
