package io.armature.engine.repair;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Bodies of the anti-entropy messages (the wire's reserved ANTI_ENTROPY_* types), version 1,
 * big-endian. Every body starts with the same 6 bytes: {@code version:u8 log2(Q):u8 partition:u16
 * log2(fanout):u8 depth:u8}. Decoders check every length against the bytes present, so an
 * allocation is never larger than the input, and reject anything else with an
 * {@link RepairCodecException}.
 */
public final class AntiEntropyMessages {
    /** Format version, the first byte of every body. */
    public static final byte VERSION = 1;
    /** Bytes of the common prefix. */
    public static final int PREFIX_BYTES = 6;
    /** Most entries or nodes one body may carry; senders split larger exchanges. */
    public static final int MAX_ITEMS = 1 << 20;

    private AntiEntropyMessages() {
    }

    /**
     * ANTI_ENTROPY_TREE and ANTI_ENTROPY_TREE_REPLY: the sender's hashes of some nodes of one
     * level. {@code level:u8 count:u32 count x index:u32 count x hash:i64}, indices strictly
     * ascending. An empty list means "no difference left": the exchange stops.
     *
     * @param shape the tree shape
     * @param level the level, 0..depth
     * @param indices node indices at that level
     * @param hashes the sender's hashes of those nodes
     */
    public record TreeLevel(TreeShape shape, int level, int[] indices, long[] hashes) {
        /**
         * Validates the parts.
         */
        public TreeLevel {
            Objects.requireNonNull(shape, "shape");
            if (level < 0 || level > shape.depth()) {
                throw new IllegalArgumentException("tree level " + level + " is not in 0.." + shape.depth());
            }
            if (indices.length != hashes.length || indices.length > MAX_ITEMS) {
                throw new IllegalArgumentException("tree level: " + indices.length + " indices, " + hashes.length
                    + " hashes (equal counts of at most " + MAX_ITEMS + " needed)");
            }
            final int width = shape.width(level);
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= width || (i > 0 && indices[i] <= indices[i - 1])) {
                    throw new IllegalArgumentException("tree level " + level + ": index " + indices[i] + " at " + i
                        + " is not ascending in 0.." + (width - 1));
                }
            }
        }

        /**
         * @return the encoded size in bytes
         */
        public int encodedSize() {
            return PREFIX_BYTES + 1 + 4 + indices.length * 12;
        }

        /**
         * @return the body bytes
         */
        public byte[] encode() {
            final ByteBuffer b = prefix(shape, encodedSize());
            b.put((byte) level).putInt(indices.length);
            for (final int i : indices) {
                b.putInt(i);
            }
            for (final long h : hashes) {
                b.putLong(h);
            }
            return b.array();
        }

        /**
         * @param bytes a body
         * @return the message
         * @throws RepairCodecException if the body is malformed
         */
        public static TreeLevel decode(final byte[] bytes) {
            final Reader r = new Reader("tree level", bytes);
            final TreeShape shape = r.shape();
            final int level = r.u8("level");
            final int n = r.count("node count", 12);
            final int[] indices = new int[n];
            final long[] hashes = new long[n];
            for (int i = 0; i < n; i++) {
                indices[i] = r.buffer.getInt();
            }
            for (int i = 0; i < n; i++) {
                hashes[i] = r.buffer.getLong();
            }
            r.end();
            return r.build(() -> new TreeLevel(shape, level, indices, hashes));
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof TreeLevel t && shape.equals(t.shape) && level == t.level
                && Arrays.equals(indices, t.indices) && Arrays.equals(hashes, t.hashes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(shape, level, Arrays.hashCode(indices), Arrays.hashCode(hashes));
        }

        @Override
        public String toString() {
            return "TreeLevel[" + shape + ", level " + level + ", " + indices.length + " nodes]";
        }
    }

    /**
     * ANTI_ENTROPY_KEYS: the sender's entries in some differing leaves.
     * {@code leafCount:u32 leafCount x leaf:u32 entryCount:u32 entryCount x (keyHash:i64 digest:i64)};
     * leaves strictly ascending, entries ascending by unsigned key hash (equal hashes allowed:
     * two keys may share a hash), no digest {@link MerkleTree#ABSENT}.
     *
     * @param shape the tree shape
     * @param leaves the leaves covered
     * @param keyHashes the key hashes of every entry in those leaves
     * @param digests the matching version-set digests
     */
    public record KeyDigests(TreeShape shape, int[] leaves, long[] keyHashes, long[] digests) {
        /**
         * Validates the parts.
         */
        public KeyDigests {
            Objects.requireNonNull(shape, "shape");
            final int width = shape.width(shape.depth());
            if (leaves.length > MAX_ITEMS || keyHashes.length != digests.length || keyHashes.length > MAX_ITEMS) {
                throw new IllegalArgumentException("key digests: " + leaves.length + " leaves, " + keyHashes.length
                    + " hashes, " + digests.length + " digests (equal entry counts, each at most " + MAX_ITEMS + ")");
            }
            for (int i = 0; i < leaves.length; i++) {
                if (leaves[i] < 0 || leaves[i] >= width || (i > 0 && leaves[i] <= leaves[i - 1])) {
                    throw new IllegalArgumentException("key digests: leaf " + leaves[i] + " at " + i
                        + " is not ascending in 0.." + (width - 1));
                }
            }
            for (int i = 0; i < keyHashes.length; i++) {
                if (digests[i] == MerkleTree.ABSENT || (i > 0 && Long.compareUnsigned(keyHashes[i], keyHashes[i - 1]) < 0)) {
                    throw new IllegalArgumentException("key digests: entry " + i + " is out of order or has the absent digest");
                }
            }
        }

        /**
         * @return the encoded size in bytes
         */
        public int encodedSize() {
            return PREFIX_BYTES + 4 + leaves.length * 4 + 4 + keyHashes.length * 16;
        }

        /**
         * @return the body bytes
         */
        public byte[] encode() {
            final ByteBuffer b = prefix(shape, encodedSize());
            b.putInt(leaves.length);
            for (final int leaf : leaves) {
                b.putInt(leaf);
            }
            b.putInt(keyHashes.length);
            for (int i = 0; i < keyHashes.length; i++) {
                b.putLong(keyHashes[i]).putLong(digests[i]);
            }
            return b.array();
        }

        /**
         * @param bytes a body
         * @return the message
         * @throws RepairCodecException if the body is malformed
         */
        public static KeyDigests decode(final byte[] bytes) {
            final Reader r = new Reader("key digests", bytes);
            final TreeShape shape = r.shape();
            final int[] leaves = new int[r.count("leaf count", 4)];
            for (int i = 0; i < leaves.length; i++) {
                leaves[i] = r.buffer.getInt();
            }
            final int n = r.count("entry count", 16);
            final long[] hashes = new long[n];
            final long[] digests = new long[n];
            for (int i = 0; i < n; i++) {
                hashes[i] = r.buffer.getLong();
                digests[i] = r.buffer.getLong();
            }
            r.end();
            return r.build(() -> new KeyDigests(shape, leaves, hashes, digests));
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof KeyDigests k && shape.equals(k.shape) && Arrays.equals(leaves, k.leaves)
                && Arrays.equals(keyHashes, k.keyHashes) && Arrays.equals(digests, k.digests);
        }

        @Override
        public int hashCode() {
            return Objects.hash(shape, Arrays.hashCode(leaves), Arrays.hashCode(keyHashes), Arrays.hashCode(digests));
        }

        @Override
        public String toString() {
            return "KeyDigests[" + shape + ", " + leaves.length + " leaves, " + keyHashes.length + " entries]";
        }
    }

    /**
     * ANTI_ENTROPY_KEYS_REPLY: the key hashes whose version sets the receiver of
     * {@link KeyDigests} wants from its sender. {@code count:u32 count x keyHash:i64}, strictly
     * ascending unsigned.
     *
     * @param shape the tree shape
     * @param keyHashes the wanted key hashes
     */
    public record KeyRequest(TreeShape shape, long[] keyHashes) {
        /**
         * Validates the parts.
         */
        public KeyRequest {
            Objects.requireNonNull(shape, "shape");
            if (keyHashes.length > MAX_ITEMS) {
                throw new IllegalArgumentException("key request: " + keyHashes.length + " hashes, at most " + MAX_ITEMS);
            }
            for (int i = 1; i < keyHashes.length; i++) {
                if (Long.compareUnsigned(keyHashes[i], keyHashes[i - 1]) <= 0) {
                    throw new IllegalArgumentException("key request: hash " + i + " is not ascending");
                }
            }
        }

        /**
         * @return the encoded size in bytes
         */
        public int encodedSize() {
            return PREFIX_BYTES + 4 + keyHashes.length * 8;
        }

        /**
         * @return the body bytes
         */
        public byte[] encode() {
            final ByteBuffer b = prefix(shape, encodedSize());
            b.putInt(keyHashes.length);
            for (final long h : keyHashes) {
                b.putLong(h);
            }
            return b.array();
        }

        /**
         * @param bytes a body
         * @return the message
         * @throws RepairCodecException if the body is malformed
         */
        public static KeyRequest decode(final byte[] bytes) {
            final Reader r = new Reader("key request", bytes);
            final TreeShape shape = r.shape();
            final long[] hashes = new long[r.count("hash count", 8)];
            for (int i = 0; i < hashes.length; i++) {
                hashes[i] = r.buffer.getLong();
            }
            r.end();
            return r.build(() -> new KeyRequest(shape, hashes));
        }

        @Override
        public boolean equals(final Object o) {
            return o instanceof KeyRequest k && shape.equals(k.shape) && Arrays.equals(keyHashes, k.keyHashes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(shape, Arrays.hashCode(keyHashes));
        }

        @Override
        public String toString() {
            return "KeyRequest[" + shape + ", " + keyHashes.length + " keys]";
        }
    }

    private static ByteBuffer prefix(final TreeShape shape, final int size) {
        return ByteBuffer.allocate(size).put(VERSION)
            .put((byte) Integer.numberOfTrailingZeros(shape.partitionCount()))
            .putShort((short) shape.partition())
            .put((byte) Integer.numberOfTrailingZeros(shape.fanout()))
            .put((byte) shape.depth());
    }

    private static final class Reader {
        private final String what;
        private final ByteBuffer buffer;

        Reader(final String what, final byte[] bytes) {
            this.what = what;
            if (bytes == null || bytes.length < PREFIX_BYTES) {
                throw new RepairCodecException(what + ": " + (bytes == null ? 0 : bytes.length)
                    + " bytes, shorter than the " + PREFIX_BYTES + "-byte prefix");
            }
            this.buffer = ByteBuffer.wrap(bytes);
        }

        TreeShape shape() {
            final int version = buffer.get() & 0xFF;
            if (version != VERSION) {
                throw new RepairCodecException(what + ": unknown format version " + version + ", expected " + VERSION);
            }
            final int qBits = buffer.get() & 0xFF;
            final int partition = buffer.getShort() & 0xFFFF;
            final int fanoutBits = buffer.get() & 0xFF;
            final int depth = buffer.get() & 0xFF;
            if (qBits > 16 || fanoutBits < 1 || fanoutBits > 8) {
                throw new RepairCodecException(what + ": invalid shape bits (log2 Q " + qBits + ", log2 fanout " + fanoutBits + ")");
            }
            return build(() -> new TreeShape(1 << qBits, partition, 1 << fanoutBits, depth));
        }

        int u8(final String field) {
            need(1, field);
            return buffer.get() & 0xFF;
        }

        int count(final String field, final int bytesEach) {
            need(4, field);
            final int at = buffer.position();
            final long n = buffer.getInt() & 0xFFFF_FFFFL;
            if (n > MAX_ITEMS || n * bytesEach > buffer.remaining()) {
                throw new RepairCodecException(what + ": " + field + " " + n + " at offset " + at + " does not fit in the "
                    + buffer.remaining() + " bytes left (or exceeds " + MAX_ITEMS + ")");
            }
            return (int) n;
        }

        void end() {
            if (buffer.hasRemaining()) {
                throw new RepairCodecException(what + ": " + buffer.remaining() + " trailing bytes at offset " + buffer.position());
            }
        }

        private void need(final int n, final String field) {
            if (buffer.remaining() < n) {
                throw new RepairCodecException(what + ": truncated " + field + " at offset " + buffer.position());
            }
        }

        <T> T build(final java.util.function.Supplier<T> constructor) {
            try {
                return constructor.get();
            } catch (final IllegalArgumentException e) {
                throw new RepairCodecException(what + ": " + e.getMessage());
            }
        }
    }
}
