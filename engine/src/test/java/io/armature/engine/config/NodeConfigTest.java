package io.armature.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.spi.transport.Endpoint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
    private static final Endpoint LISTEN = new Endpoint("127.0.0.1", 7000);

    /**
     * The ring takes zones of the node id alphabet only; a zone the config accepted but the ring
     * refuses would fail the node's join long after start, far from the setting at fault.
     */
    @Test
    void aZoneTheRingWouldRefuseIsRefusedAtBuildNamingTheSetting() {
        for (final String zone : new String[] {"rack 1", "zone/a", "é"}) {
            assertThrows(IllegalArgumentException.class, () -> Ring.create(8, Map.of(new NodeId("n1"), zone)), zone);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NodeConfig.builder(new NodeId("n1"), LISTEN).zone(zone).build(), zone);
            assertTrue(e.getMessage().contains("node.zone") && e.getMessage().contains("[A-Za-z0-9._-]"), e.getMessage());
        }
        assertEquals("eu-west-1a", NodeConfig.builder(new NodeId("n1"), LISTEN).zone("eu-west-1a").build().zone());
        assertEquals("", NodeConfig.builder(new NodeId("n1"), LISTEN).build().zone());
    }

    /** Peers cannot reach a wildcard: a node bound to one must say where it is reached. */
    @Test
    void aWildcardIsNeverWhatTheNodeAdvertises() {
        final Endpoint any = new Endpoint("0.0.0.0", 7000);
        final IllegalArgumentException bare = assertThrows(IllegalArgumentException.class,
            () -> NodeConfig.builder(new NodeId("n1"), any).build());
        assertTrue(bare.getMessage().contains("node.advertise"), bare.getMessage());
        final IllegalArgumentException wild = assertThrows(IllegalArgumentException.class,
            () -> NodeConfig.builder(new NodeId("n1"), LISTEN).advertise(new Endpoint("::", 7000)).build());
        assertTrue(wild.getMessage().contains("node.advertise"), wild.getMessage());
        final Endpoint reached = new Endpoint("10.0.0.7", 7000);
        assertEquals(reached, NodeConfig.builder(new NodeId("n1"), any).advertise(reached).build().advertise());
        assertEquals(null, NodeConfig.builder(new NodeId("n1"), LISTEN).build().advertise(), "none: the bound address is advertised");
    }
}
