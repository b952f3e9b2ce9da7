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
}
