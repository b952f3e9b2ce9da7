package io.armature.testkit.sim;

import io.armature.spi.transport.Endpoint;
import io.armature.spi.transport.SendStatus;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimNetworkTest {
    private final SimLoop loop = new SimLoop();
    private final SimNetwork net = new SimNetwork(loop, new SplittableRandom(42));
    private final List<String> atB = new ArrayList<>();
    private final SimTransport a = net.transport("a");
    private final SimTransport b = net.transport("b");
    private final Endpoint eb;

    SimNetworkTest() {
        a.bind(new Endpoint("a", 0), m -> { });
        eb = b.bind(new Endpoint("b", 0), m -> atB.add(StandardCharsets.UTF_8.decode(m).toString()));
    }

    private void send(final String text) {
        assertEquals(SendStatus.SENT, a.send(eb, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aHealthyLinkDeliversEveryMessageInOrderAfterADelay() {
        for (int i = 0; i < 50; i++) {
            send("m" + i);
        }
        assertEquals(List.of(), atB);
        loop.runUntil(10_000_000);
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, atB);
    }

    @Test
    void reorderingLetsMessagesOvertakeAndDuplicationDeliversTwice() {
        net.setConditions(NetworkConditions.HEALTHY.withReorder(true).withDuplicateRate(0.5));
        for (int i = 0; i < 50; i++) {
            send("m" + i);
        }
        loop.runUntil(10_000_000);
        assertTrue(atB.size() > 50, "some duplicates");
        assertNotEquals(atB.stream().distinct().sorted().toList(), atB.stream().distinct().toList(), "some reordering");
        assertEquals(50, atB.stream().distinct().count());
    }

    @Test
    void lossDropsAboutTheGivenShare() {
        net.setConditions(NetworkConditions.HEALTHY.withDropRate(0.3));
        for (int i = 0; i < 1000; i++) {
            send("m" + i);
        }
        loop.runUntil(10_000_000);
        assertTrue(atB.size() > 600 && atB.size() < 800, "delivered " + atB.size());
        assertEquals(1000 - atB.size(), net.stats().get("dropped"));
    }

    @Test
    void aPartitionCutsMessagesSentOrInFlightUntilHealed() {
        send("before");
        net.partition(List.of(Set.of("a"), Set.of("b")));
        send("during");
        loop.runUntil(10_000_000);
        assertEquals(List.of(), atB);
        net.heal();
        send("after");
        loop.runUntil(20_000_000);
        assertEquals(List.of("after"), atB);
    }

    @Test
    void aClosedTransportReceivesNothingAndItsEndpointCanBeBoundAgain() {
        send("lost");
        b.close();
        loop.runUntil(10_000_000);
        assertEquals(List.of(), atB);
        final List<String> atB2 = new ArrayList<>();
        final SimTransport b2 = net.transport("b");
        assertEquals(eb, b2.bind(eb, m -> atB2.add("x")));
        send("new");
        loop.runUntil(20_000_000);
        assertEquals(List.of("x"), atB2);
        assertEquals(SendStatus.CLOSED, b.send(eb, ByteBuffer.allocate(1)));
    }

    @Test
    void theSameSeedGivesTheSameDeliveries() {
        assertEquals(run(7), run(7));
        assertNotEquals(run(7), run(8));
    }

    private static List<String> run(final long seed) {
        final SimLoop l = new SimLoop();
        final SimNetwork n = new SimNetwork(l, new SplittableRandom(seed));
        n.setConditions(new NetworkConditions(0, 5_000_000, 0.2, 0.2, true));
        final List<String> got = new ArrayList<>();
        final SimTransport x = n.transport("x");
        final SimTransport y = n.transport("y");
        x.bind(new Endpoint("x", 1), m -> { });
        final Endpoint ey = y.bind(new Endpoint("y", 1), m -> got.add(l.now() + ":" + StandardCharsets.UTF_8.decode(m)));
        for (int i = 0; i < 100; i++) {
            x.send(ey, ByteBuffer.wrap(("m" + i).getBytes(StandardCharsets.UTF_8)));
        }
        l.runUntil(100_000_000);
        return got;
    }
}
