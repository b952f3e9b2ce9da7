package io.armature.api;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class ContextProperties {
    @Provide
    Arbitrary<Map<byte[], Long>> entries() {
        final Arbitrary<byte[]> actor = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(Context.MAX_ACTOR_LENGTH);
        return Arbitraries.maps(actor, Arbitraries.longs().between(1, Long.MAX_VALUE)).ofMaxSize(6)
            .map(m -> {
                final TreeMap<byte[], Long> sorted = new TreeMap<>(Arrays::compareUnsigned);
                sorted.putAll(m);
                return sorted;
            });
    }

    private static Context build(final Map<byte[], Long> entries) {
        final byte[][] actors = entries.keySet().toArray(new byte[0][]);
        final long[] counters = entries.values().stream().mapToLong(Long::longValue).toArray();
        return Context.ofEntries(actors, counters);
    }

    @Property(tries = 1000)
    void roundTripsThroughBytesAndToken(@ForAll("entries") final Map<byte[], Long> entries) {
        final Context c = build(entries);
        assertEquals(entries.size(), c.size());
        assertEquals(entries.isEmpty(), c.isEmpty());
        assertEquals(c, Context.fromBytes(c.toBytes()));
        assertEquals(c, Context.fromToken(c.toToken()));
        assertEquals(c.hashCode(), Context.fromToken(c.toToken()).hashCode());
        assertTrue(c.toToken().matches("[A-Za-z0-9_-]+"), "URL-safe Base64 without padding");
        final List<byte[]> actors = new ArrayList<>();
        final List<Long> counters = new ArrayList<>();
        c.forEachEntry((actor, counter) -> {
            actors.add(actor);
            counters.add(counter);
        });
        assertEquals(new ArrayList<>(entries.values()), counters);
        int i = 0;
        for (final byte[] expected : entries.keySet()) {
            assertArrayEquals(expected, actors.get(i++));
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesGiveAContextOrInvalidRequestException(@ForAll @Size(max = 48) final byte[] tail,
                                                             @ForAll final boolean formatFirst) {
        final byte[] bytes = formatFirst ? prepend((byte) Context.FORMAT, tail) : tail;
        final Context c;
        try {
            c = Context.fromBytes(bytes);
        } catch (final InvalidRequestException expected) {
            assertTrue(expected.getMessage().startsWith("context:"));
            return;
        } catch (final RuntimeException other) {
            fail("fromBytes threw " + other + " for " + Arrays.toString(bytes), other);
            return;
        }
        assertArrayEquals(bytes, c.toBytes());
        assertEquals(c, Context.fromToken(c.toToken()));
    }

    @Property(tries = 1000)
    void arbitraryTokensGiveAContextOrInvalidRequestException(@ForAll @Size(max = 40) final String token) {
        try {
            assertTrue(Context.fromToken(token).toBytes().length > 0);
        } catch (final InvalidRequestException expected) {
            assertTrue(expected.getMessage().startsWith("context:"));
        } catch (final RuntimeException other) {
            fail("fromToken threw " + other + " for '" + token + "'", other);
        }
    }

    @Property(tries = 1000)
    void mutatedContextsGiveAContextOrInvalidRequestException(@ForAll("entries") final Map<byte[], Long> entries,
                                                              @ForAll final int at, @ForAll final byte value,
                                                              @ForAll final boolean truncate) {
        final byte[] bytes = build(entries).toBytes();
        final int i = Math.floorMod(at, bytes.length);
        final byte[] mutated = truncate ? Arrays.copyOf(bytes, i) : bytes.clone();
        if (!truncate) {
            mutated[i] = value;
        }
        try {
            assertArrayEquals(mutated, Context.fromBytes(mutated).toBytes());
        } catch (final InvalidRequestException expected) {
            assertTrue(expected.getMessage().startsWith("context:"));
        } catch (final RuntimeException other) {
            fail("fromBytes threw " + other + " for " + Arrays.toString(mutated), other);
        }
        if (truncate) {
            assertThrows(InvalidRequestException.class, () -> Context.fromBytes(mutated));
        }
    }

    private static byte[] prepend(final byte b, final byte[] tail) {
        final byte[] out = new byte[tail.length + 1];
        out[0] = b;
        System.arraycopy(tail, 0, out, 1, tail.length);
        return out;
    }
}
