package io.armature.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.armature.engine.ring.NodeId;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The META record of the partitions still moving (docs/repair.md, "Join and leave"). */
class StreamingStateProperties {
    @Property(tries = 1000)
    void encodingRoundTrips(@ForAll final long seed, @ForAll @LongRange(min = 1) final long epoch) {
        final StreamingState state = state(new SplittableRandom(seed), epoch);
        assertEquals(state, StreamingState.decode(state.encode()));
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 200) final byte[] bytes) {
        decodesOrFailsCleanly(bytes);
    }

    @Property(tries = 1000)
    void aDamagedRecordDecodesOrFailsWithACodecException(@ForAll final long seed, @ForAll @LongRange(min = 1) final long epoch,
                                                         @ForAll @IntRange(min = 1, max = 8) final int flips) {
        final SplittableRandom random = new SplittableRandom(seed);
        final byte[] bytes = state(random, epoch).encode();
        for (int i = 0; i < flips; i++) {
            final int at = random.nextInt(bytes.length);
            bytes[at] = (byte) (bytes[at] ^ (1 << random.nextInt(8)) | (random.nextInt(4) == 0 ? 0xFF : 0));
        }
        decodesOrFailsCleanly(Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)));
        decodesOrFailsCleanly(bytes);
    }

    @Property(tries = 1000)
    void aTruncatedOrExtendedRecordIsRejected(@ForAll final long seed, @ForAll @LongRange(min = 1) final long epoch,
                                              @ForAll @IntRange(min = 1, max = 9) final int cut) {
        final byte[] bytes = state(new SplittableRandom(seed), epoch).encode();
        assertThrows(RepairCodecException.class, () -> StreamingState.decode(Arrays.copyOf(bytes, Math.max(0, bytes.length - cut))));
        assertThrows(RepairCodecException.class, () -> StreamingState.decode(Arrays.copyOf(bytes, bytes.length + cut)));
    }

    /**
     * Counts taken from the input (nodes, moves, notices, dropped partitions) are checked against
     * the bytes left before anything is allocated: a short record claiming the largest counts
     * costs about what its own size justifies.
     */
    @Property(tries = 1000)
    void decodingAllocatesInProportionToTheInputNotToItsCounts(@ForAll @Size(max = 64) final byte[] tail,
                                                               @ForAll @IntRange(min = 0, max = 3) final int shape) {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assume.that(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
        final byte[] huge = {-1, -1, -1, -1};
        final byte[] head = switch (shape) {
            case 0 -> concat(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 7}, new byte[] {-1, -1});
            case 1 -> concat(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0}, huge);
            case 2 -> concat(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, -1, -1}, new byte[0]);
            default -> concat(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0}, huge);
        };
        final byte[] bytes = concat(head, tail);
        final long thread = Thread.currentThread().getId();
        decodesOrFailsCleanly(bytes);
        final long before = threads.getThreadAllocatedBytes(thread);
        decodesOrFailsCleanly(bytes);
        final long allocated = threads.getThreadAllocatedBytes(thread) - before;
        // an exception with its stack trace and message, plus what the bytes themselves can fill
        assertTrue(allocated < 32 * 1024 + 64L * bytes.length, allocated + " bytes allocated to decode " + bytes.length);
    }

    private static void decodesOrFailsCleanly(final byte[] bytes) {
        try {
            final StreamingState decoded = StreamingState.decode(bytes);
            assertEquals(decoded, StreamingState.decode(decoded.encode()), "a decoded record re-encodes to the same state");
        } catch (final RepairCodecException e) {
            assertEquals(RepairCodecException.class, e.getClass());
        }
    }

    private static byte[] concat(final byte[] a, final byte[] b) {
        final byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A state PartitionStreaming could hold: moves with waiting gainers, notices, dropped partitions. */
    static StreamingState state(final SplittableRandom random, final long epoch) {
        final List<NodeId> pool = new ArrayList<>();
        final int nodes = 2 + random.nextInt(8);
        for (int i = 0; i < nodes; i++) {
            pool.add(new NodeId("n" + i + "-" + "abcdefghijklmnopqrstuvwxyz".substring(0, 1 + random.nextInt(26))));
        }
        final Map<Integer, PendingPartitions.Move> moves = new TreeMap<>();
        final int moveCount = random.nextInt(12);
        for (int i = 0; i < moveCount; i++) {
            final List<NodeId> from = pick(random, pool, 1 + random.nextInt(3));
            final List<NodeId> to = pick(random, pool, 1 + random.nextInt(3));
            final Map<NodeId, Long> waiting = new LinkedHashMap<>();
            for (final NodeId g : to) {
                if (!from.contains(g) && (waiting.isEmpty() || random.nextBoolean())) {
                    waiting.put(g, 1 + random.nextLong(epoch));
                }
            }
            if (!waiting.isEmpty()) {
                moves.put(random.nextInt(1 << 16), new PendingPartitions.Move(from, to, waiting));
            }
        }
        final Map<NodeId, Map<Integer, Long>> unacked = new TreeMap<>();
        for (final NodeId node : pick(random, pool, random.nextInt(4))) {
            final Map<Integer, Long> notices = new TreeMap<>();
            final int count = 1 + random.nextInt(6);
            for (int i = 0; i < count; i++) {
                notices.put(random.nextInt(1 << 16), 1 + random.nextLong(epoch));
            }
            unacked.put(node, notices);
        }
        final Set<Integer> dropped = new TreeSet<>();
        final int droppedCount = random.nextInt(6);
        for (int i = 0; i < droppedCount; i++) {
            dropped.add(random.nextInt(1 << 16));
        }
        return new StreamingState(epoch, moves, unacked, dropped);
    }

    private static List<NodeId> pick(final SplittableRandom random, final List<NodeId> pool, final int count) {
        final List<NodeId> shuffled = new ArrayList<>(pool);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            final int j = random.nextInt(i + 1);
            shuffled.set(i, shuffled.set(j, shuffled.get(i)));
        }
        return new ArrayList<>(shuffled.subList(0, Math.min(count, shuffled.size())));
    }
}
