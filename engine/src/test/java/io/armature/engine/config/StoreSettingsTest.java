package io.armature.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import io.armature.spi.transport.Endpoint;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        final StoreSettings s = StoreSettings.defaults();
        assertEquals(3, s.n());
        assertEquals(2, s.r());
        assertEquals(2, s.w());
        assertEquals(1024, s.maxKeySize());
        assertEquals(512 * 1024, s.maxValueSize());
        assertEquals(640 * 1024, s.maxObjectSize());
        assertEquals(25, s.siblingWarn());
        assertEquals(100, s.siblingLimit());
    }

    @Test
    void theDefaultObjectLimitAgreesWithTheDefaultMessageLimit() {
        io.armature.engine.node.Node.checkObjectLimit(StoreSettings.defaults(),
            io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE);
    }

    @Test
    void anObjectLimitThatNReplicasCannotSendInOneMessageIsRefusedNamingTheSettings() {
        final StoreSettings five = StoreSettings.builder().n(5).r(3).w(3).maxObjectSize(StoreSettings.DEFAULT_MAX_OBJECT_SIZE).build();
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> io.armature.engine.node.Node.checkObjectLimit(five, io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE));
        for (final String setting : java.util.List.of("store.n", "store.max-object-size", "max-message-size")) {
            assertTrue(e.getMessage().contains(setting), e.getMessage());
        }
        final int fits = (io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE - five.maxKeySize()
            - io.armature.engine.coordinator.Coordinator.FRAME_RESERVE) / 5;
        assertTrue(e.getMessage().contains("at most " + fits), e.getMessage());
        io.armature.engine.node.Node.checkObjectLimit(five.toBuilder().maxValueSize(fits).maxObjectSize(fits).build(),
            io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE);
    }

    @net.jqwik.api.Property(tries = 16)
    void everyNStartsOnItsDefaultLimits(@net.jqwik.api.ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 16) final int n) {
        final StoreSettings s = StoreSettings.builder().n(n).r(1).w(1).build();
        io.armature.engine.node.Node.checkObjectLimit(s, io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE);
        assertTrue(s.maxValueSize() <= s.maxObjectSize(), s::toString);
        assertEquals(Math.min(StoreSettings.DEFAULT_MAX_OBJECT_SIZE, (io.armature.spi.transport.TransportConfig.DEFAULT_MAX_MESSAGE_SIZE
            - s.maxKeySize() - io.armature.engine.coordinator.Coordinator.FRAME_RESERVE) / n), s.maxObjectSize(), s::toString);
        // derived again, not copied, when N changes
        assertEquals(StoreSettings.builder().n(1).r(1).w(1).build().maxObjectSize(), s.toBuilder().n(1).build().maxObjectSize());
    }

    @Test
    void eachInvalidSettingIsRejectedWithAMessageNamingIt() {
        rejects("store.n", () -> StoreSettings.builder().n(0).build());
        rejects("store.r", () -> StoreSettings.builder().r(4).build());
        rejects("store.w", () -> StoreSettings.builder().n(2).r(1).w(3).build());
        rejects("store.request-timeout", () -> StoreSettings.builder().requestTimeout(Duration.ZERO).build());
        rejects("store.replica-timeout", () -> StoreSettings.builder().replicaTimeout(Duration.ofSeconds(5)).build());
        rejects("store.max-key-size", () -> StoreSettings.builder().maxKeySize(0).build());
        rejects("store.max-value-size", () -> StoreSettings.builder().maxValueSize(-1).build());
        rejects("store.max-object-size", () -> StoreSettings.builder().maxValueSize(11).maxObjectSize(10).build());
        rejects("store.sibling-limit", () -> StoreSettings.builder().siblingLimit(0).build());
        rejects("store.sibling-warn", () -> StoreSettings.builder().siblingWarn(101).build());
        rejects("node.partitions", () -> NodeConfig.builder(new NodeId("a"), new Endpoint("a", 1)).partitions(100).build());
        rejects("node.suspect-after-timeouts",
            () -> NodeConfig.builder(new NodeId("a"), new Endpoint("a", 1)).suspectAfterTimeouts(0).build());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        final StoreSettings s = StoreSettings.builder().n(5).r(3).w(4).maxKeySize(10).siblingWarn(7).build();
        assertEquals(s.toString(), s.toBuilder().build().toString());
    }

    private static void rejects(final String setting, final Supplier<Object> build) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().startsWith(setting + " "), () -> "expected a message naming " + setting + ": " + e.getMessage());
    }
}
