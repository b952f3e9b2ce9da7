package io.armature.engine.repair;

import io.armature.engine.ring.NodeId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@link PartitionStreaming} must not forget across a restart (docs/repair.md, "Join and
 * leave"), kept in META: the pending moves, the HANDOFF notices not yet acknowledged, and the
 * partitions dropped (swept again if a late record lands). Without it a restarted gainer would
 * stop pulling and never announce, and a restarted loser would keep its copies for good.
 *
 * <p>Byte form, version 1, big-endian: {@code version:u8 epoch:i64}, a node table
 * {@code count:u16 (length:u8 ascii)*} (strictly ascending, every other field names a node by its
 * u16 index), moves {@code count:u32 (partition:u16 from:u8 index* to:u8 index* waiting:u8
 * (index epoch:i64)*)*} with partitions strictly ascending, notices {@code count:u16 (receiver:index
 * entries:u32 (partition:u16 epoch:i64)*)*} with receivers and partitions strictly ascending, and
 * dropped partitions {@code count:u32 partition:u16*} strictly ascending; nothing after. Node ids
 * are written once each: a move names 2N nodes, so at Q = 65536 the table saves most of the bytes.
 * The decoder checks every count against the bytes left before it allocates anything.
 *
 * @param epoch the ring epoch the state was planned at (restored only with a ring of that epoch)
 * @param moves the pending partitions ({@link PendingPartitions#moves()}), each with at least one waiting gainer
 * @param unacked per receiver, the partitions announced to it and the epoch of each notice
 * @param dropped partitions this node dropped and does not replicate
 */
public record StreamingState(long epoch, Map<Integer, PendingPartitions.Move> moves,
                             Map<NodeId, Map<Integer, Long>> unacked, Set<Integer> dropped) {
    private static final byte VERSION = 1;
    private static final int MAX_PARTITION = 0xFFFF;
    private static final int MAX_REPLICAS = 0xFF;

    /**
     * Validates and copies the parts.
     *
     * @throws IllegalArgumentException if a part could not have come from {@link PartitionStreaming}
     */
    public StreamingState {
        if (epoch < 1) {
            throw new IllegalArgumentException("streaming state: epoch must be at least 1, was " + epoch);
        }
        final Map<Integer, PendingPartitions.Move> m = new TreeMap<>();
        moves.forEach((p, move) -> {
            partition(p);
            check(p, move, epoch);
            m.put(p, move);
        });
        final Map<NodeId, Map<Integer, Long>> u = new TreeMap<>();
        unacked.forEach((node, notices) -> {
            if (notices.isEmpty()) {
                throw new IllegalArgumentException("streaming state: no notice for receiver " + node);
            }
            final Map<Integer, Long> copy = new TreeMap<>();
            notices.forEach((p, e) -> {
                partition(p);
                epochAtMost(e, epoch);
                copy.put(p, e);
            });
            u.put(node, Collections.unmodifiableMap(copy));
        });
        final Set<Integer> d = new TreeSet<>();
        for (final int p : dropped) {
            d.add(partition(p));
        }
        moves = Collections.unmodifiableMap(m);
        unacked = Collections.unmodifiableMap(u);
        dropped = Collections.unmodifiableSet(d);
    }

    private static int partition(final Integer p) {
        if (p == null || p < 0 || p > MAX_PARTITION) {
            throw new IllegalArgumentException("streaming state: partition " + p + " outside 0.." + MAX_PARTITION);
        }
        return p;
    }

    private static void epochAtMost(final Long e, final long epoch) {
        if (e == null || e < 1 || e > epoch) {
            throw new IllegalArgumentException("streaming state: epoch " + e + " outside 1.." + epoch);
        }
    }

    private static void check(final int p, final PendingPartitions.Move move, final long epoch) {
        if (move.from().isEmpty() || move.to().isEmpty() || move.waiting().isEmpty()
            || move.from().size() > MAX_REPLICAS || move.to().size() > MAX_REPLICAS) {
            throw new IllegalArgumentException("streaming state: partition " + p + " needs 1.." + MAX_REPLICAS
                + " old and new replicas and a waiting gainer: " + move);
        }
        if (new HashSet<>(move.from()).size() != move.from().size() || new HashSet<>(move.to()).size() != move.to().size()) {
            throw new IllegalArgumentException("streaming state: partition " + p + " names a replica twice: " + move);
        }
        move.waiting().forEach((g, e) -> {
            if (!move.to().contains(g) || move.from().contains(g)) {
                throw new IllegalArgumentException("streaming state: partition " + p + " waits for " + g
                    + ", which is not a gainer: " + move);
            }
            epochAtMost(e, epoch);
        });
    }

    /** @return the byte form */
    public byte[] encode() {
        final Set<NodeId> names = new TreeSet<>(unacked.keySet());
        moves.values().forEach(m -> {
            names.addAll(m.from());
            names.addAll(m.to());
        });
        if (names.size() > 0xFFFF) {
            throw new IllegalStateException("streaming state: " + names.size() + " nodes, at most 65535");
        }
        final List<NodeId> table = new ArrayList<>(names);
        final Map<NodeId, Integer> index = new TreeMap<>();
        for (int i = 0; i < table.size(); i++) {
            index.put(table.get(i), i);
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(VERSION);
        putLong(out, epoch);
        putShort(out, table.size());
        for (final NodeId n : table) {
            final byte[] b = n.value().getBytes(StandardCharsets.US_ASCII);
            out.write(b.length);
            out.writeBytes(b);
        }
        putInt(out, moves.size());
        moves.forEach((p, m) -> {
            putShort(out, p);
            out.write(m.from().size());
            m.from().forEach(n -> putShort(out, index.get(n)));
            out.write(m.to().size());
            m.to().forEach(n -> putShort(out, index.get(n)));
            out.write(m.waiting().size());
            m.waiting().forEach((n, e) -> {
                putShort(out, index.get(n));
                putLong(out, e);
            });
        });
        putShort(out, unacked.size());
        unacked.forEach((n, notices) -> {
            putShort(out, index.get(n));
            putInt(out, notices.size());
            notices.forEach((p, e) -> {
                putShort(out, p);
                putLong(out, e);
            });
        });
        putInt(out, dropped.size());
        dropped.forEach(p -> putShort(out, p));
        return out.toByteArray();
    }

    /**
     * @param bytes a record written by {@link #encode}, or anything else
     * @return the state
     * @throws RepairCodecException if the bytes are not a valid record; never anything else
     */
    public static StreamingState decode(final byte[] bytes) {
        final Reader in = new Reader(bytes);
        final int version = in.u8("version");
        if (version != VERSION) {
            throw new RepairCodecException("streaming state: unknown version " + version + " at offset 0");
        }
        final long epoch = in.i64("epoch");
        final int nodes = in.count(in.u16("node count"), 2, "nodes");
        final List<NodeId> table = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            final int at = in.at;
            final int length = in.u8("node id length");
            final String id = new String(in.bytes(length, "node id"), StandardCharsets.US_ASCII);
            try {
                final NodeId n = new NodeId(id);
                if (i > 0 && table.get(i - 1).compareTo(n) >= 0) {
                    throw new RepairCodecException("streaming state: node table not strictly ascending at offset " + at);
                }
                table.add(n);
            } catch (final IllegalArgumentException e) {
                throw new RepairCodecException("streaming state: node id at offset " + at + ": " + e.getMessage());
            }
        }
        final int moveCount = in.count(in.u32("move count"), 2 + 1 + 2 + 1 + 2 + 1 + 10, "moves");
        final Map<Integer, PendingPartitions.Move> moves = new LinkedHashMap<>();
        int last = -1;
        for (int i = 0; i < moveCount; i++) {
            final int at = in.at;
            final int p = in.u16("partition");
            if (p <= last) {
                throw new RepairCodecException("streaming state: move partitions not strictly ascending at offset " + at);
            }
            last = p;
            final List<NodeId> from = in.nodes(table, "old replicas");
            final List<NodeId> to = in.nodes(table, "new replicas");
            final int waitingCount = in.count(in.u8("waiting count"), 10, "waiting gainers");
            final Map<NodeId, Long> waiting = new LinkedHashMap<>();
            for (int w = 0; w < waitingCount; w++) {
                final NodeId g = in.node(table);
                if (waiting.put(g, in.i64("gain epoch")) != null) {
                    throw new RepairCodecException("streaming state: gainer " + g + " twice in the move at offset " + at);
                }
            }
            moves.put(p, new PendingPartitions.Move(from, to, waiting));
        }
        final int receivers = in.count(in.u16("receiver count"), 6, "receivers");
        final Map<NodeId, Map<Integer, Long>> unacked = new LinkedHashMap<>();
        NodeId previous = null;
        for (int r = 0; r < receivers; r++) {
            final int at = in.at;
            final NodeId node = in.node(table);
            if (previous != null && previous.compareTo(node) >= 0) {
                throw new RepairCodecException("streaming state: receivers not strictly ascending at offset " + at);
            }
            previous = node;
            final int entries = in.count(in.u32("notice count"), 10, "notices");
            final Map<Integer, Long> notices = new LinkedHashMap<>();
            int lastNotice = -1;
            for (int e = 0; e < entries; e++) {
                final int pat = in.at;
                final int p = in.u16("notice partition");
                if (p <= lastNotice) {
                    throw new RepairCodecException("streaming state: notice partitions not strictly ascending at offset " + pat);
                }
                lastNotice = p;
                notices.put(p, in.i64("notice epoch"));
            }
            unacked.put(node, notices);
        }
        final int droppedCount = in.count(in.u32("dropped count"), 2, "dropped partitions");
        final Set<Integer> dropped = new LinkedHashSet<>();
        int lastDropped = -1;
        for (int i = 0; i < droppedCount; i++) {
            final int at = in.at;
            final int p = in.u16("dropped partition");
            if (p <= lastDropped) {
                throw new RepairCodecException("streaming state: dropped partitions not strictly ascending at offset " + at);
            }
            lastDropped = p;
            dropped.add(p);
        }
        if (in.at != bytes.length) {
            throw new RepairCodecException("streaming state: " + (bytes.length - in.at) + " bytes left over at offset " + in.at);
        }
        try {
            return new StreamingState(epoch, moves, unacked, dropped);
        } catch (final IllegalArgumentException e) {
            throw new RepairCodecException(e.getMessage());
        }
    }

    /** Bounds-checked reads: every failure is a {@link RepairCodecException} naming the offset. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(final byte[] bytes) {
            this.bytes = bytes;
        }

        private void need(final int n, final String what) {
            if (bytes.length - at < n) {
                throw new RepairCodecException("streaming state: " + what + " needs " + n + " bytes at offset " + at
                    + ", " + (bytes.length - at) + " left");
            }
        }

        /** A count of items of at least {@code minBytes} each, checked against the bytes left. */
        int count(final long count, final int minBytes, final String what) {
            if (count > (bytes.length - at) / minBytes) {
                throw new RepairCodecException("streaming state: " + count + " " + what + " cannot fit in the "
                    + (bytes.length - at) + " bytes left at offset " + at);
            }
            return (int) count;
        }

        int u8(final String what) {
            need(1, what);
            return bytes[at++] & 0xFF;
        }

        int u16(final String what) {
            need(2, what);
            final int v = (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
            at += 2;
            return v;
        }

        long u32(final String what) {
            need(4, what);
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = v << 8 | bytes[at++] & 0xFF;
            }
            return v;
        }

        long i64(final String what) {
            need(8, what);
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | bytes[at++] & 0xFF;
            }
            return v;
        }

        byte[] bytes(final int n, final String what) {
            need(n, what);
            final byte[] out = java.util.Arrays.copyOfRange(bytes, at, at + n);
            at += n;
            return out;
        }

        NodeId node(final List<NodeId> table) {
            final int at0 = at;
            final int i = u16("node index");
            if (i >= table.size()) {
                throw new RepairCodecException("streaming state: node index " + i + " at offset " + at0 + " beyond the table of "
                    + table.size());
            }
            return table.get(i);
        }

        List<NodeId> nodes(final List<NodeId> table, final String what) {
            final int n = count(u8(what), 2, what);
            final List<NodeId> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(node(table));
            }
            return out;
        }
    }

    private static void putShort(final ByteArrayOutputStream out, final int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void putInt(final ByteArrayOutputStream out, final int v) {
        putShort(out, v >>> 16);
        putShort(out, v & 0xFFFF);
    }

    private static void putLong(final ByteArrayOutputStream out, final long v) {
        putInt(out, (int) (v >>> 32));
        putInt(out, (int) v);
    }
}
