package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.WireDecoder;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** A client that retries a write with the same request id must get an answer to the retry too. */
class RetriedWriteTest {
    @Test
    void aRetriedWriteIsAnsweredAndAppliedOnce() {
        try (EmbeddedCluster c = cluster(3).partitions(16).start();
             Transport client = new LocalTransportProvider().create(TransportConfig.builder()
                 .property("local.network", c.network().name()).build())) {
            final List<Message> replies = new CopyOnWriteArrayList<>();
            final WireDecoder decoder = new WireDecoder(1 << 20);
            final Endpoint me = client.bind(new Endpoint("retrying-client", 0), m -> {
                final byte[] copy = new byte[m.remaining()];
                m.get(copy);
                final WireDecoder.Decoded d = decoder.decode(new UnsafeBuffer(copy), 0, copy.length);
                if (d.ok() && d.frame().requestId() == 77) {
                    replies.add(d.frame().message());
                }
            });
            final byte[] key = bytes("retried");
            final byte[] frame = new WireEncoder("", me).encodeToArray(77,
                new Message.ClientWrite(false, Message.WriteOp.PUT, key, bytes("v"), new byte[0], 3, 0));
            client.send(c.endpoint(0), ByteBuffer.wrap(frame));
            client.send(c.endpoint(0), ByteBuffer.wrap(frame));
            await("an answer to the write and to its retry", () -> replies.size() >= 2);
            for (final Message m : replies) {
                assertEquals(Message.Status.OK, ((Message.ClientReply) m).status(), m.toString());
            }
            assertEquals(1, VersionSet.decode(stored(c, 0, key)).values().size(), "applied once, not two siblings");
        }
    }
}
