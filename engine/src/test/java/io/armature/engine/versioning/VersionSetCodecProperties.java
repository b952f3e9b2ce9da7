package io.armature.engine.versioning;

import io.armature.engine.versioning.Histories.Op;
import io.armature.engine.versioning.Histories.World;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

class VersionSetCodecProperties {
    private static final int TRIES = 1000;

    @Provide
    Arbitrary<List<Op>> histories() {
        return Histories.histories();
    }

    /** Decoding either succeeds on a canonical form (which re-encodes to the same bytes) or throws VersionCodecException. */
    private static void decodesCleanly(final byte[] bytes) {
        final VersionSet set;
        try {
            set = VersionSet.decode(bytes);
        } catch (final VersionCodecException expected) {
            return;
        } catch (final Throwable other) {
            fail("decode threw " + other + " for " + Arrays.toString(bytes), other);
            return;
        }
        assertArrayEquals(bytes, set.encode(), "an accepted byte form is canonical");
    }

    @Property(tries = TRIES)
    void decodeOfRandomBytesFailsCleanly(@ForAll @Size(max = 64) final byte[] tail, @ForAll final boolean versionFirst) {
        final byte[] bytes = versionFirst ? concat(new byte[] {VersionSetCodec.VERSION}, tail) : tail;
        decodesCleanly(bytes);
    }

    @Property(tries = TRIES)
    void decodeOfMutatedBytesFailsCleanly(@ForAll("histories") final List<Op> ops, @ForAll final int pick,
                                          @ForAll("mutations") final List<int[]> mutations) {
        final World w = World.run(ops);
        byte[] bytes = w.snapshots.get(Math.floorMod(pick, w.snapshots.size())).encode();
        for (final int[] m : mutations) {
            bytes = mutate(bytes, m[0], m[1], m[2]);
        }
        decodesCleanly(bytes);
    }

    @Property(tries = TRIES)
    void decodeOfTruncatedBytesAlwaysFails(@ForAll("histories") final List<Op> ops, @ForAll final int pick,
                                           @ForAll final int cut) {
        final World w = World.run(ops);
        final byte[] bytes = w.snapshots.get(Math.floorMod(pick, w.snapshots.size())).encode();
        final byte[] truncated = Arrays.copyOf(bytes, Math.floorMod(cut, bytes.length));
        assertThrows(VersionCodecException.class, () -> VersionSet.decode(truncated));
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Arbitraries.integers().between(0, 3).flatMap(kind -> Arbitraries.integers().greaterOrEqual(0)
                .flatMap(at -> Arbitraries.integers().between(0, 255).map(b -> new int[] {kind, at, b})))
            .list().ofMinSize(1).ofMaxSize(3);
    }

    /** 0 = overwrite a byte, 1 = insert a byte, 2 = delete a byte, 3 = flip one bit. */
    private static byte[] mutate(final byte[] in, final int kind, final int at, final int value) {
        if (in.length == 0) {
            return new byte[] {(byte) value};
        }
        final int i = at % in.length;
        switch (kind) {
            case 0: {
                final byte[] out = in.clone();
                out[i] = (byte) value;
                return out;
            }
            case 1: {
                final byte[] out = new byte[in.length + 1];
                System.arraycopy(in, 0, out, 0, i);
                out[i] = (byte) value;
                System.arraycopy(in, i, out, i + 1, in.length - i);
                return out;
            }
            case 2: {
                final byte[] out = new byte[in.length - 1];
                System.arraycopy(in, 0, out, 0, i);
                System.arraycopy(in, i + 1, out, i, in.length - i - 1);
                return out;
            }
            default: {
                final byte[] out = in.clone();
                out[i] ^= (byte) (1 << (value & 7));
                return out;
            }
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
