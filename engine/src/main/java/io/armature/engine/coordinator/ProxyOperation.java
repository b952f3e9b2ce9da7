package io.armature.engine.coordinator;

import io.armature.api.ArmatureException;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.ReadResult;
import io.armature.api.RequestTimeoutException;
import io.armature.engine.ring.NodeId;
import io.armature.engine.wire.Message;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A request received by a node that does not hold the cluster's ring yet (it is joining): it
 * goes, unchanged, to one of the node's seeds, which coordinates it as it would a remote client's,
 * and the seed's answer is this request's answer. Only an unreachable send moves on to the next
 * seed: a request that may have left is never sent twice (a write would get two dots). The seed's
 * node id is not known in advance (seeds are endpoints), so the reply is matched by request id.
 */
final class ProxyOperation extends Operation {
    private final Message request;
    private final List<Endpoint> seeds;
    private final long timeoutMillis;
    private final List<Endpoint> refused = new ArrayList<>();

    ProxyOperation(final Coordinator c, final String name, final CompletableFuture<ReadResult<byte[]>> future,
                   final Message request, final List<Endpoint> seeds, final long timeoutMillis) {
        super(c, name, future);
        this.request = request;
        this.seeds = seeds;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    void start() {
        c.metrics.forwarded();
        final int first = c.nextSeed();
        for (int i = 0; i < seeds.size(); i++) {
            final Endpoint seed = seeds.get(Math.floorMod(first + i, seeds.size()));
            if (c.sendTo(seed, id, request)) {
                return;
            }
            refused.add(seed);
        }
        fail(new ClusterUnavailableException(name + ": " + c.self + " is joining and holds no ring yet, and none of its seeds"
            + " was reachable: " + refused));
        finish();
    }

    @Override
    void onReply(final NodeId from, final Message message) {
        if (!(message instanceof Message.ClientReply reply)) {
            return;
        }
        try {
            succeed(Replies.toResult(reply, Duration.ofMillis(timeoutMillis)));
        } catch (final ArmatureException e) {
            fail(e);
        }
        finish();
    }

    @Override
    void onDeadline() {
        fail(new RequestTimeoutException(name, Duration.ofMillis(timeoutMillis)));
    }
}
