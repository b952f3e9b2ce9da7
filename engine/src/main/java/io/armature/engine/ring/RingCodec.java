package io.armature.engine.ring;

import java.nio.charset.StandardCharsets;

/**
 * The ring's byte form, stored under the meta key {@code ring} and sent in RING messages, so it
 * is part of the on-disk and wire format. Version 2, big-endian:
 * <pre>
 *   version:u8 = 2
 *   epoch:i64 (at least 1)
 *   log2Q:u8 (3..16)
 *   memberCount - 1:u16 (members 1..Q)
 *   memberCount x { idLength:u8 id:ascii zoneLength:u8 zone:ascii }   ids strictly ascending
 *   Q x owner:b bits (member index), most significant bit first, b = ceil(log2(memberCount))
 * </pre>
 * The owner table takes {@code Q * b / 8} bytes (Q is a multiple of 8, so no padding): an index
 * into the member table needs only as many bits as there are members to tell apart, so Q=65536
 * takes 24 KiB with 8 members and 80 KiB with 1,024, where version 1 (still read: a persisted ring
 * of an older build) spent 16 bits on every partition ({@code memberCount:i32}, then
 * {@code Q x owner:u16}). The largest ring the codec admits is {@link #maxEncodedLength(int)}.
 *
 * <p>Decoding checks every length against the bytes actually present before allocating, and checks
 * the ring's invariants (every member owns a partition, counts differ by at most one), so a
 * decoded ring is one that the claim algorithm could have produced.
 */
final class RingCodec {

    static final byte VERSION = 2;
    static final byte VERSION_1 = 1;
    /** Longest member entry: two length bytes, an id and a zone of {@link NodeId#MAX_LENGTH} each. */
    private static final int MAX_MEMBER_BYTES = 2 + 2 * NodeId.MAX_LENGTH;

    private RingCodec() {
    }

    /**
     * @param partitions Q
     * @return the most bytes a version 2 ring of Q partitions can take (Q members of the longest
     *     ids and zones): a bound for anyone who buffers a ring before decoding it
     */
    static long maxEncodedLength(int partitions) {
        return 1 + 8 + 1 + 2 + (long) partitions * MAX_MEMBER_BYTES + (long) partitions * bitsFor(partitions) / 8;
    }

    /** @return bits per owner index: 0 for one member, else ceil(log2(count)) */
    static int bitsFor(int memberCount) {
        return memberCount <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(memberCount - 1);
    }

    static byte[] encode(long epoch, NodeId[] members, String[] zones, int[] owner) {
        int bits = bitsFor(members.length);
        int size = 1 + 8 + 1 + 2 + owner.length * bits / 8;
        for (int i = 0; i < members.length; i++) {
            size += 2 + members[i].value().length() + zones[i].length();
        }
        byte[] out = new byte[size];
        int pos = 0;
        out[pos++] = VERSION;
        for (int b = 7; b >= 0; b--) {
            out[pos++] = (byte) (epoch >>> (8 * b));
        }
        out[pos++] = (byte) Integer.numberOfTrailingZeros(owner.length);
        out[pos++] = (byte) ((members.length - 1) >>> 8);
        out[pos++] = (byte) (members.length - 1);
        for (int i = 0; i < members.length; i++) {
            pos = putAscii(out, pos, members[i].value());
            pos = putAscii(out, pos, zones[i]);
        }
        long bitPos = (long) pos * 8;
        for (int o : owner) {
            for (int b = bits - 1; b >= 0; b--, bitPos++) {
                if ((o >>> b & 1) != 0) {
                    out[(int) (bitPos >>> 3)] |= (byte) (0x80 >>> (bitPos & 7));
                }
            }
        }
        return out;
    }

    private static int putAscii(byte[] out, int pos, String s) {
        out[pos++] = (byte) s.length();
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, pos, b.length);
        return pos + b.length;
    }

    static Ring decode(byte[] bytes) {
        if (bytes == null) {
            throw new RingCodecException("ring bytes are null");
        }
        Reader in = new Reader(bytes);
        int version = in.u8("version");
        if (version != VERSION && version != VERSION_1) {
            throw new RingCodecException("unsupported ring encoding version " + version
                + " (this build reads versions " + VERSION_1 + " and " + VERSION + ")");
        }
        long epoch = in.i64();
        if (epoch < 1) {
            throw new RingCodecException("ring epoch must be at least 1, got " + epoch);
        }
        int log2q = in.u8("log2(partitions)");
        if (log2q < 3 || log2q > 16) {
            throw new RingCodecException("log2(partitions) must be in 3..16, got " + log2q);
        }
        int q = 1 << log2q;
        int count = version == VERSION ? in.u16("member count") + 1 : in.i32();
        if (count < 1 || count > q) {
            throw new RingCodecException("member count must be in 1.." + q + ", got " + count);
        }
        int bits = version == VERSION ? bitsFor(count) : 16;
        // Each member takes at least two bytes, and the owner table Q x bits: check before allocating.
        in.require(2L * count + (long) q * bits / 8, "members and owner table");
        NodeId[] members = new NodeId[count];
        String[] zones = new String[count];
        for (int i = 0; i < count; i++) {
            String id = in.ascii("node id of member " + i);
            try {
                members[i] = new NodeId(id);
                zones[i] = Ring.checkZone(in.ascii("zone of member " + i));
            } catch (IllegalArgumentException e) {
                throw new RingCodecException("member " + i + ": " + e.getMessage());
            }
            if (i > 0 && members[i - 1].compareTo(members[i]) >= 0) {
                throw new RingCodecException("member ids must be strictly ascending, but "
                    + members[i - 1] + " precedes " + members[i]);
            }
        }
        in.require((long) q * bits / 8, "owner table");
        int[] owner = new int[q];
        int[] counts = new int[count];
        for (int p = 0; p < q; p++) {
            int o = in.bits(bits);
            if (o >= count) {
                throw new RingCodecException("owner of partition " + p + " is member " + o
                    + ", but there are " + count + " members");
            }
            owner[p] = o;
            counts[o]++;
        }
        if (in.remaining() != 0) {
            throw new RingCodecException(in.remaining() + " trailing bytes after the ring");
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        if (min == 0 || max - min > 1) {
            throw new RingCodecException("unbalanced owner table: members own between " + min
                + " and " + max + " partitions");
        }
        return new Ring(epoch, members, zones, owner);
    }

    private static final class Reader {
        private final byte[] bytes;
        private int pos;
        private int current;
        private int bitInByte;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - pos;
        }

        void require(long n, String what) {
            if (n > remaining()) {
                throw new RingCodecException("truncated ring: " + what + " needs " + n
                    + " bytes at offset " + pos + ", only " + remaining() + " left");
            }
        }

        int u8(String what) {
            require(1, what);
            return bytes[pos++] & 0xff;
        }

        int u16(String what) {
            require(2, what);
            int v = ((bytes[pos] & 0xff) << 8) | (bytes[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        /**
         * Reads {@code n} (0..16) bits, most significant first, continuing where the last call
         * stopped; the owner table is the last field, so a partly read byte only matters there.
         * Lengths were checked by {@link #require} beforehand.
         */
        int bits(int n) {
            int v = 0;
            for (int i = 0; i < n; i++) {
                if (bitInByte == 0) {
                    current = bytes[pos++] & 0xff;
                }
                v = (v << 1) | (current >>> (7 - bitInByte) & 1);
                bitInByte = (bitInByte + 1) & 7;
            }
            return v;
        }

        int i32() {
            require(4, "member count");
            int v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (bytes[pos++] & 0xff);
            }
            return v;
        }

        long i64() {
            require(8, "epoch");
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (bytes[pos++] & 0xff);
            }
            return v;
        }

        String ascii(String what) {
            int length = u8(what + " length");
            require(length, what);
            for (int i = 0; i < length; i++) {
                if (bytes[pos + i] < 0) {
                    throw new RingCodecException(what + " is not ASCII at offset " + (pos + i));
                }
            }
            String s = new String(bytes, pos, length, StandardCharsets.US_ASCII);
            pos += length;
            return s;
        }
    }
}
