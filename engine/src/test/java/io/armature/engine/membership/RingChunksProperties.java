package io.armature.engine.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import io.armature.engine.ring.Ring;
import io.armature.engine.ring.RingCodecException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** RING bodies: a ring cut to fit the transport, and put back together by the receiver. */
class RingChunksProperties {
    private static final int Q = 1024;

    /** A ring of Q partitions and 1..200 members at epoch 2..4, zones or not. */
    record Spec(int partitions, int members, boolean zones, int joins) {
        Ring build() {
            final Map<NodeId, String> nodes = new LinkedHashMap<>();
            for (int i = 0; i < members; i++) {
                nodes.put(new NodeId("node-" + i), zones ? "zone-" + i % 3 : "");
            }
            Ring ring = Ring.create(partitions, nodes);
            for (int j = 0; j < joins && ring.members().size() < partitions; j++) {
                ring = ring.join(new NodeId("joiner-" + j), zones ? "zone-" + j % 3 : "");
            }
            return ring;
        }
    }

    @Provide
    Arbitrary<Spec> rings() {
        return Combinators.combine(Arbitraries.integers().between(3, 12).map(e -> 1 << e), Arbitraries.integers().between(1, 200),
            Arbitraries.of(true, false), Arbitraries.integers().between(1, 3))
            .as((q, s, z, j) -> new Spec(q, Math.min(s, q / 2), z, j));
    }

    @Property(tries = 1000)
    void aRingIsReassembledFromItsChunksInAnyOrderWithDuplicatesOnlyWhenTheLastArrives(
        @ForAll("rings") Spec spec, @ForAll @IntRange(min = RingChunks.MIN_CHUNK, max = 8192) int chunkLength,
        @ForAll long seed) {
        final Ring ring = spec.build();
        final List<byte[]> chunks = RingChunks.split(ring, chunkLength);
        assertEquals((ring.encode().length + chunkLength - 1) / chunkLength, chunks.size());
        for (final byte[] c : chunks) {
            assertTrue(c.length <= RingChunks.HEADER_LENGTH + chunkLength, "every chunk fits");
        }
        final Random random = new Random(seed);
        final List<byte[]> arrivals = new ArrayList<>(chunks);
        for (int i = 0; i < chunks.size(); i++) {
            if (random.nextBoolean()) {
                arrivals.add(chunks.get(random.nextInt(chunks.size())));
            }
        }
        Collections.shuffle(arrivals, random);
        final RingChunks.Assembler assembler = new RingChunks.Assembler(spec.partitions());
        final java.util.Set<Integer> seen = new java.util.HashSet<>();
        Ring result = null;
        for (final byte[] c : arrivals) {
            seen.add(ByteBuffer.wrap(c).getInt(1 + 8 + 4 + 4));
            // As the node does: once installed, late duplicates are of a ring no newer than its own.
            final Ring r = assembler.accept("sender", c, result == null ? 1 : result.epoch());
            if (seen.size() < chunks.size()) {
                assertNull(r, "nothing before every chunk arrived");
            } else if (result == null) {
                result = r;
                assertNotNull(result, "the ring, as the last missing chunk arrives");
            }
        }
        assertEquals(ring, result);
        assertEquals(0, assembler.assemblies(), "nothing left buffered");
    }

    @Property(tries = 1000)
    void arbitraryBodiesYieldNothingOrFailWithRingCodecException(
        @ForAll @Size(max = 300) byte[] body, @ForAll @LongRange(min = 0, max = 3) long installed) {
        acceptOrRingCodecException(new RingChunks.Assembler(Q), "x", body, installed);
    }

    /** Arbitrary bytes rarely pass the header; damaged real chunks reach every check. */
    @Property(tries = 1000)
    void damagedChunksYieldNothingARingOrFailWithRingCodecException(
        @ForAll("rings") Spec spec, @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll byte value,
        @ForAll @IntRange(min = 0, max = 2) int damage) {
        final List<byte[]> chunks = RingChunks.split(spec.build(), RingChunks.MIN_CHUNK);
        final int victim = where % chunks.size();
        final RingChunks.Assembler assembler = new RingChunks.Assembler(spec.partitions());
        for (int i = 0; i < chunks.size(); i++) {
            byte[] c = chunks.get(i);
            if (i == victim) {
                final int at = where % c.length;
                c = switch (damage) {
                    case 0 -> {
                        final byte[] d = c.clone();
                        d[at] = value;
                        yield d;
                    }
                    case 1 -> java.util.Arrays.copyOf(c, at);
                    default -> java.util.Arrays.copyOf(c, c.length + 1);
                };
            }
            acceptOrRingCodecException(assembler, "x", c, 1);
        }
    }

    private static void acceptOrRingCodecException(final RingChunks.Assembler assembler, final String sender, final byte[] body,
                                                   final long installed) {
        try {
            final Ring r = assembler.accept(sender, body, installed);
            assertTrue(r == null || r.epoch() > installed);
        } catch (final RingCodecException expected) {
            assertEquals(RingCodecException.class, expected.getClass());
        }
    }

    private static byte[] header(final long epoch, final long total, final long chunk, final long offset, final int data) {
        return ByteBuffer.allocate(RingChunks.HEADER_LENGTH + data).put((byte) 2).putLong(epoch).putInt((int) total)
            .putInt((int) chunk).putInt((int) offset).array();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
            .getCurrentThreadAllocatedBytes();
    }

    @Example
    void aChunkClaimingTheLargestRingBuffersOnlyWhatArrived() {
        final RingChunks.Assembler assembler = new RingChunks.Assembler(Ring.MAX_PARTITIONS);
        final long max = Ring.maxEncodedLength(Ring.MAX_PARTITIONS);
        final long before = allocatedBytes();
        assertNull(assembler.accept("x", header(2, max, RingChunks.MIN_CHUNK, 0, RingChunks.MIN_CHUNK), 1));
        final long used = allocatedBytes() - before;
        assertTrue(used < 256 << 10, "a claimed 8.6 MB ring costs its chunk index and one chunk, not 8.6 MB: " + used);
        assertEquals("ring chunk: total " + (max + 1) + " bytes is not in 1.." + max,
            assertThrows(RingCodecException.class, () -> assembler.accept("x", header(2, max + 1, 4096, 0, 4096), 1))
                .getMessage());
        assertEquals("ring chunk: chunk length 16 is below 512",
            assertThrows(RingCodecException.class, () -> assembler.accept("x", header(2, 4096, 16, 0, 16), 1)).getMessage());
        assertEquals("ring chunk: 100 bytes at offset 700 do not fit chunks of 512 in 4096",
            assertThrows(RingCodecException.class, () -> assembler.accept("x", header(2, 4096, 512, 700, 100), 1)).getMessage());
    }

    @Example
    void chunksOfARingNoNewerThanTheInstalledOneAreDroppedUnbuffered() {
        final RingChunks.Assembler assembler = new RingChunks.Assembler(Q);
        assertNull(assembler.accept("x", header(3, 4096, 512, 0, 512), 3));
        assertEquals(0, assembler.assemblies());
        assertNull(assembler.accept("x", header(4, 4096, 512, 0, 512), 3));
        assertEquals(1, assembler.assemblies());
    }

    @Example
    void atMostAFewSendersAreBufferedAtOnce() {
        final RingChunks.Assembler assembler = new RingChunks.Assembler(Q);
        for (int s = 0; s < 10; s++) {
            assembler.accept("sender-" + s, header(2, 4096, 512, 0, 512), 1);
            assertTrue(assembler.assemblies() <= RingChunks.MAX_ASSEMBLIES);
        }
        assertEquals(RingChunks.MAX_ASSEMBLIES, assembler.assemblies());
    }

    @Example
    void aTransportTooSmallForAChunkIsRefusedWithTheSizes() {
        assertEquals(4096 - RingChunks.MAX_FRAME_OVERHEAD - RingChunks.HEADER_LENGTH, RingChunks.chunkLength(4096));
        assertEquals(RingChunks.MAX_CHUNK, RingChunks.chunkLength(2 << 20));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RingChunks.chunkLength(800));
        assertEquals("transport max-message-size 800 leaves 409 bytes of ring per RING message after the frame header and "
            + "trailer (up to 370 bytes) and the chunk header (21); at least 512 are needed", e.getMessage());
    }
}
