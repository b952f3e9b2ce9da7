package io.armature.samples.ycsb;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldsCodecProperties {
    private static final FieldsCodec CODEC = new FieldsCodec();

    @Provide
    Arbitrary<SortedMap<String, byte[]>> records() {
        return Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(12).alpha().numeric(),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40)).ofMaxSize(6).map(TreeMap::new);
    }

    @Property(tries = 1000)
    void roundTrips(@ForAll("records") final SortedMap<String, byte[]> record) {
        final SortedMap<String, byte[]> back = CODEC.decode(CODEC.encode(record));
        assertEquals(record.keySet(), back.keySet());
        for (final Map.Entry<String, byte[]> e : record.entrySet()) {
            assertArrayEquals(e.getValue(), back.get(e.getKey()));
        }
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrFailWithIllegalArgument(@ForAll final byte[] bytes) {
        try {
            final SortedMap<String, byte[]> r = CODEC.decode(bytes);
            assertArrayEquals(bytes, CODEC.encode(r), "a decodable input is canonical");
        } catch (final IllegalArgumentException expected) {
            assertTrue(expected.getMessage().startsWith("record"), expected.getMessage());
        }
    }

    @Property(tries = 1000)
    void mergeIsOrderIndependentAndKeepsEveryField(@ForAll("records") final SortedMap<String, byte[]> a,
                                                   @ForAll("records") final SortedMap<String, byte[]> b,
                                                   @ForAll("records") final SortedMap<String, byte[]> c) {
        final List<SortedMap<String, byte[]>> siblings = new ArrayList<>(List.of(a, b, c));
        final SortedMap<String, byte[]> one = FieldsCodec.merge(siblings);
        Collections.reverse(siblings);
        final SortedMap<String, byte[]> two = FieldsCodec.merge(siblings);
        assertEquals(one.keySet(), two.keySet());
        one.forEach((k, v) -> assertTrue(Arrays.equals(v, two.get(k))));
        assertTrue(one.keySet().containsAll(a.keySet()) && one.keySet().containsAll(b.keySet()) && one.keySet().containsAll(c.keySet()));
    }
}
