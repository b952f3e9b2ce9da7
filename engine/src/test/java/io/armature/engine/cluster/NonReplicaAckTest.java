package io.armature.engine.cluster;

import static io.armature.engine.cluster.AntiEntropyTest.stored;
import static io.armature.engine.cluster.ClusterTesting.await;
import static io.armature.engine.cluster.ClusterTesting.bytes;
import static io.armature.engine.cluster.ClusterTesting.cluster;
import static io.armature.engine.cluster.ClusterTesting.preference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.repair.HintKey;
import io.armature.engine.ring.KeyHash;
import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.engine.versioning.ActorId;
import io.armature.engine.versioning.Value;
import io.armature.engine.versioning.VersionSet;
import io.armature.engine.versioning.VersionVector;
import io.armature.engine.wire.Frame;
import io.armature.engine.wire.Message;
import io.armature.engine.wire.MessageType;
import io.armature.engine.wire.WireDecoder;
import io.armature.engine.wire.WireEncoder;
import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, case 2: only a key's replicas (or a stand-in holding a hint for a named one) may
 * count toward W. Each test talks to a node outside the key's preference list directly, then
 * sends it a ReplicaGet: frames between two endpoints arrive in order and the node handles them
 * in order, so the ReplicaGet's answer comes after anything the first message made it send.
 */
class NonReplicaAckTest {
    private static final long PROBE = 99;

    /** A raw peer on the cluster's local network that records every frame it receives. */
    private static final class Peer implements AutoCloseable {
        final Transport transport;
        final Endpoint me;
        final List<Frame> received = new CopyOnWriteArrayList<>();

        Peer(final EmbeddedCluster c) {
            transport = new LocalTransportProvider().create(TransportConfig.builder()
                .property("local.network", c.network().name()).build());
            final WireDecoder decoder = new WireDecoder(1 << 20);
            me = transport.bind(new Endpoint("raw-peer", 0), m -> {
                final byte[] copy = new byte[m.remaining()];
                m.get(copy);
                final WireDecoder.Decoded d = decoder.decode(new UnsafeBuffer(copy), 0, copy.length);
                if (d.ok()) {
                    received.add(d.frame());
                }
            });
        }

        void send(final Endpoint to, final long requestId, final Message m) {
            transport.send(to, ByteBuffer.wrap(new WireEncoder("", me).encodeToArray(requestId, m)));
        }

        /** Sends the probe and waits for its answer: everything sent before it has been handled. */
        void settle(final Endpoint to, final int partition, final byte[] key) {
            send(to, PROBE, new Message.ReplicaGet(partition, key));
            await("the probe's answer", () -> received.stream().anyMatch(f -> f.requestId() == PROBE));
        }

        List<Message> repliesTo(final long requestId) {
            return received.stream().filter(f -> f.requestId() == requestId).map(Frame::message).toList();
        }

        @Override
        public void close() {
            transport.close();
        }
    }

    /** @return {node outside the key's preference list} for the first key that has one */
    private static byte[] keyOutside(final EmbeddedCluster c, final int[] outsider) {
        for (int i = 0; ; i++) {
            final byte[] key = bytes("k" + i);
            final int[] prefs = preference(c, key);
            for (int n = 0; n < c.size(); n++) {
                final int node = n;
                if (Arrays.stream(prefs).noneMatch(p -> p == node)) {
                    outsider[0] = node;
                    return key;
                }
            }
        }
    }

    private static byte[] set(final String value) {
        return VersionSet.empty().update(VersionVector.empty(), Value.of(bytes(value), 1), new ActorId("node-9", 1)).encode();
    }

    @Test
    void aReplicaWriteForAPartitionTheNodeDoesNotReplicateIsRefused() {
        try (EmbeddedCluster c = cluster(4).partitions(16).start(); Peer peer = new Peer(c)) {
            final int[] x = {0};
            final byte[] key = keyOutside(c, x);
            final int partition = c.ring().partitionForKey(key);
            peer.send(c.endpoint(x[0]), 5, new Message.ReplicaPut(partition, key, set("v"), null));
            peer.settle(c.endpoint(x[0]), partition, key);
            final List<Message> replies = peer.repliesTo(5);
            assertEquals(1, replies.size());
            assertFalse(((Message.ReplicaPutReply) replies.get(0)).ok(), "a node outside the replicas must not acknowledge");
            assertNull(stored(c, x[0], key), "nor store a copy no read will find");
        }
    }

    @Test
    void aForwardedWriteReachingANodeOutsideTheReplicasIsRefusedNotCountedThere() {
        try (EmbeddedCluster c = cluster(4).partitions(16).start(); Peer peer = new Peer(c)) {
            final int[] x = {0};
            final byte[] key = keyOutside(c, x);
            final int partition = c.ring().partitionForKey(key);
            peer.send(c.endpoint(x[0]), 6, new Message.ClientWrite(true, Message.WriteOp.PUT, key, bytes("v"), new byte[0], 1, 0));
            await("an answer to the forwarded write", () -> !peer.repliesTo(6).isEmpty());
            final Message.ClientReply reply = (Message.ClientReply) peer.repliesTo(6).get(0);
            assertNotEquals(Message.Status.OK, reply.status(), "W=1 acknowledged by a node that is no replica");
            assertTrue(reply.message().startsWith("not a replica"), reply.message());
            peer.settle(c.endpoint(x[0]), partition, key);
            assertNull(stored(c, x[0], key));
        }
    }

    @Test
    void aHintDeliveredToItsOwnerAfterThePartitionMovedAwayIsNotAcknowledged() {
        try (EmbeddedCluster c = cluster(4).partitions(16).start(); Peer peer = new Peer(c)) {
            final int[] x = {0};
            final byte[] key = keyOutside(c, x);
            final int partition = c.ring().partitionForKey(key);
            final byte[] hk = new HintKey(c.nodeId(x[0]), partition, KeyHash.hash64(key), key).encode();
            final byte[] set = set("v");
            final byte[] body = ByteBuffer.allocate(1 + 4 + hk.length + set.length).put((byte) 1).putInt(hk.length).put(hk)
                .put(set).array();
            peer.send(c.endpoint(x[0]), 0, new Message.Opaque(MessageType.HINT_DELIVERY, body));
            peer.settle(c.endpoint(x[0]), partition, key);
            assertTrue(peer.received.stream().noneMatch(f -> f.message() instanceof Message.Opaque o
                && o.reservedType() == MessageType.HINT_ACK), "the stand-in must keep the hint");
            assertNull(stored(c, x[0], key), "the former owner does not take the copy as its own");
        }
    }
}
