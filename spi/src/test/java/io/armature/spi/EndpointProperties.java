package io.armature.spi;

import io.armature.spi.storage.Durability;
import io.armature.spi.storage.Keyspace;
import io.armature.spi.transport.Endpoint;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointProperties {
    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.oneOf(
            Arbitraries.strings().withCharRange('a', 'z').withChars('.', '-').ofMinLength(1).ofMaxLength(30)
                .filter(s -> !s.isBlank()),
            Arbitraries.of("127.0.0.1", "::1", "fe80::1", "localhost"));
    }

    @Property(tries = 1000)
    void textFormRoundTrips(@ForAll("hosts") final String host, @ForAll @IntRange(max = 65_535) final int port) {
        final Endpoint e = new Endpoint(host, port);
        assertEquals(e, Endpoint.parse(e.toString()));
    }

    @Property(tries = 1000)
    void parseAcceptsOrRejectsCleanly(@ForAll final String text) {
        try {
            Endpoint.parse(text);
        } catch (final IllegalArgumentException expected) {
            // the only failure parse may report
        }
    }

    @Example
    void malformedEndpointsNameTheText() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("host:port"));
        assertEquals("endpoint 'host:port' has a port that is not a number", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("127.0.0.1:70000"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse(":80"));
    }

    @Example
    void durabilityIdsRoundTripAndUnknownOnesListTheAllowed() {
        for (final Durability d : Durability.values()) {
            assertEquals(d, Durability.fromId(d.id()));
        }
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durability.fromId("fsync"));
        assertEquals("durability: unknown level 'fsync'; allowed: none, no-sync, write-no-sync, sync", e.getMessage());
    }

    @Property(tries = 200)
    void keyspacesOrderByKindThenPartition(@ForAll @IntRange(max = Keyspace.MAX_PARTITION) final int a,
                                           @ForAll @IntRange(max = Keyspace.MAX_PARTITION) final int b) {
        assertEquals(Integer.signum(Integer.compare(a, b)), Integer.signum(Keyspace.partition(a).compareTo(Keyspace.partition(b))));
        assertEquals(Keyspace.partition(a), Keyspace.partition(a));
    }
}
