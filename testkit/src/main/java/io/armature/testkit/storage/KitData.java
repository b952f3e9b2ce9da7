package io.armature.testkit.storage;

import io.armature.spi.storage.Keyspace;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keys, values and small assertions shared by the kit's groups.
 */
final class KitData {
    static final Keyspace P1 = Keyspace.partition(1);
    static final Keyspace P2 = Keyspace.partition(2);

    private KitData() {
    }

    static byte[] b(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(final int... values) {
        final byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** A key as a string of ISO-8859-1 characters, one per byte, for readable list comparisons. */
    static String k(final int... values) {
        return new String(bytes(values), StandardCharsets.ISO_8859_1);
    }

    static List<String> scanAll(final StorageEngine e, final Keyspace ks, final byte[] from, final byte[] to) {
        final List<String> keys = new ArrayList<>();
        e.scan(ks, from, to, (k, v) -> keys.add(new String(k, StandardCharsets.ISO_8859_1)));
        return keys;
    }

    /** Bad input is an IllegalArgumentException or a StorageException, never anything vaguer. */
    static void assertRejection(final RuntimeException e) {
        assertTrue(e instanceof IllegalArgumentException || e instanceof StorageException,
            () -> "expected IllegalArgumentException or StorageException, got " + e);
    }
}
