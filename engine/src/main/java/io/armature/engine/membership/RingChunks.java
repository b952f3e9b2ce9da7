package io.armature.engine.membership;

import io.armature.engine.ring.Ring;
import io.armature.engine.ring.RingCodecException;
import io.armature.engine.wire.Wire;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of RING (26): a ring's encoding ({@link Ring#encode()}) cut into chunks that each fit
 * one transport message, and their reassembly. A ring grows with Q and the member count (about
 * {@code Q x log2(S) / 8} bytes plus the member table), and a transport carries messages of at most
 * {@code maxMessageSize} bytes (4 KiB is allowed), so one message cannot be assumed to hold it.
 * Layout, big-endian:
 * <pre>
 *   format:u8 = 2
 *   epoch:i64        the ring's epoch (at least 1)
 *   total:u32        bytes of the whole encoding (1..Ring.maxEncodedLength(Q))
 *   chunkLength:u32  bytes of every chunk but the last (at least MIN_CHUNK unless one chunk holds all)
 *   offset:u32       where this chunk starts: a multiple of chunkLength below total
 *   data             min(chunkLength, total - offset) bytes
 * </pre>
 * A receiver buffers the chunks of one (sender, epoch, total, chunkLength) and decodes the ring only
 * when every chunk arrived; a lost chunk leaves the assembly incomplete until the next RING from that
 * sender (the receiver asks again every gossip period while it is behind). Memory is bounded: chunks
 * of rings no newer than the installed one are dropped unread, a few senders are buffered at once,
 * and each buffer grows only with the bytes that actually arrived.
 */
public final class RingChunks {
    /** The format byte (a RING body of an older build was a bare version 1 ring). */
    static final byte FORMAT = 2;
    /** Bytes before the data. */
    public static final int HEADER_LENGTH = 1 + 8 + 4 + 4 + 4;
    /** Smallest chunk a sender may cut (except a ring that fits in one). */
    public static final int MIN_CHUNK = 512;
    /** Largest chunk cut, so one ring never needs one large message even where the transport allows it. */
    public static final int MAX_CHUNK = 64 * 1024;
    /** The most a frame adds around a body: header with the longest sender and endpoint, and the HMAC trailer. */
    public static final int MAX_FRAME_OVERHEAD = Wire.FIXED_HEADER_LENGTH + 1 + Wire.MAX_SENDER_LENGTH + 1
        + Wire.MAX_ENDPOINT_LENGTH + Wire.HMAC_LENGTH;
    /** Senders whose rings are reassembled at once. */
    static final int MAX_ASSEMBLIES = 4;

    private RingChunks() {
    }

    /**
     * The chunk length for a transport, checked once at start-up.
     *
     * @param maxMessageSize the transport's largest message
     * @return how many ring bytes one RING message carries
     * @throws IllegalArgumentException naming the sizes if a chunk of {@link #MIN_CHUNK} does not fit
     */
    public static int chunkLength(final int maxMessageSize) {
        final long room = (long) maxMessageSize - MAX_FRAME_OVERHEAD - HEADER_LENGTH;
        if (room < MIN_CHUNK) {
            throw new IllegalArgumentException("transport max-message-size " + maxMessageSize + " leaves " + room
                + " bytes of ring per RING message after the frame header and trailer (up to " + MAX_FRAME_OVERHEAD
                + " bytes) and the chunk header (" + HEADER_LENGTH + "); at least " + MIN_CHUNK + " are needed");
        }
        return (int) Math.min(room, MAX_CHUNK);
    }

    /**
     * @param ring the ring to send
     * @param chunkLength from {@link #chunkLength(int)}
     * @return the RING bodies, in order
     */
    public static List<byte[]> split(final Ring ring, final int chunkLength) {
        if (chunkLength < MIN_CHUNK) {
            throw new IllegalArgumentException("chunk length must be at least " + MIN_CHUNK + ", was " + chunkLength);
        }
        final byte[] encoded = ring.encode();
        final List<byte[]> chunks = new ArrayList<>();
        for (int offset = 0; offset < encoded.length; offset += chunkLength) {
            final int length = Math.min(chunkLength, encoded.length - offset);
            chunks.add(ByteBuffer.allocate(HEADER_LENGTH + length).put(FORMAT).putLong(ring.epoch()).putInt(encoded.length)
                .putInt(chunkLength).putInt(offset).put(encoded, offset, length).array());
        }
        return chunks;
    }

    /** Reassembles the rings sent to one node. Event loop only. */
    public static final class Assembler {
        private final long maxTotal;
        /** By sender, oldest first. */
        private final Map<String, Assembly> bySender = new LinkedHashMap<>();

        /**
         * @param partitions this node's Q: a ring of another Q is not wanted, and bounds what is buffered
         */
        public Assembler(final int partitions) {
            this.maxTotal = Math.min(Integer.MAX_VALUE, Ring.maxEncodedLength(partitions));
        }

        /**
         * @param sender the frame's sender
         * @param body a RING body
         * @param installedEpoch the epoch of the ring this node holds: older or equal rings are dropped
         * @return the ring, when this chunk completed it; null while chunks are missing or if it is not newer
         * @throws RingCodecException if the body or the reassembled ring is malformed
         */
        public Ring accept(final String sender, final byte[] body, final long installedEpoch) {
            if (body == null || body.length <= HEADER_LENGTH) {
                throw new RingCodecException("ring chunk: " + (body == null ? 0 : body.length) + " bytes, a chunk has "
                    + HEADER_LENGTH + " of header and at least one of data");
            }
            final ByteBuffer b = ByteBuffer.wrap(body);
            final int format = b.get();
            if (format != FORMAT) {
                throw new RingCodecException("ring chunk: unknown format " + format + " (this build reads " + FORMAT + ")");
            }
            final long epoch = b.getLong();
            final long total = Integer.toUnsignedLong(b.getInt());
            final long chunk = Integer.toUnsignedLong(b.getInt());
            final long offset = Integer.toUnsignedLong(b.getInt());
            final int length = b.remaining();
            if (epoch < 1) {
                throw new RingCodecException("ring chunk: epoch must be at least 1, got " + epoch);
            }
            if (total < 1 || total > maxTotal) {
                throw new RingCodecException("ring chunk: total " + total + " bytes is not in 1.." + maxTotal);
            }
            if (chunk < MIN_CHUNK && chunk < total) {
                throw new RingCodecException("ring chunk: chunk length " + chunk + " is below " + MIN_CHUNK);
            }
            if (offset >= total || offset % chunk != 0 || length != Math.min(chunk, total - offset)) {
                throw new RingCodecException("ring chunk: " + length + " bytes at offset " + offset + " do not fit chunks of "
                    + chunk + " in " + total);
            }
            if (epoch <= installedEpoch) {
                return null;
            }
            Assembly a = bySender.get(sender);
            if (a == null || a.epoch != epoch || a.total != total || a.chunk != chunk) {
                if (a == null && bySender.size() >= MAX_ASSEMBLIES) {
                    final Iterator<String> oldest = bySender.keySet().iterator();
                    oldest.next();
                    oldest.remove();
                }
                bySender.remove(sender);
                a = new Assembly(epoch, (int) total, chunk);
                bySender.put(sender, a);
            }
            final int index = (int) (offset / chunk);
            if (a.parts[index] == null) {
                a.parts[index] = java.util.Arrays.copyOfRange(body, HEADER_LENGTH, body.length);
                a.missing--;
            }
            if (a.missing > 0) {
                return null;
            }
            bySender.remove(sender);
            final Ring ring = Ring.decode(a.join());
            if (ring.epoch() != epoch) {
                throw new RingCodecException("ring chunk: the chunks said epoch " + epoch + ", the ring has " + ring.epoch());
            }
            return ring;
        }

        /** @return rings being reassembled (for tests) */
        int assemblies() {
            return bySender.size();
        }
    }

    private static final class Assembly {
        final long epoch;
        final int total;
        final long chunk;
        final byte[][] parts;
        int missing;

        Assembly(final long epoch, final int total, final long chunk) {
            this.epoch = epoch;
            this.total = total;
            this.chunk = chunk;
            // total <= maxEncodedLength(Q) and chunk >= MIN_CHUNK (or one chunk): a bounded index.
            this.parts = new byte[(int) ((total + chunk - 1) / chunk)][];
            this.missing = parts.length;
        }

        byte[] join() {
            final byte[] out = new byte[total];
            for (int i = 0; i < parts.length; i++) {
                System.arraycopy(parts[i], 0, out, (int) (i * chunk), parts[i].length);
            }
            return out;
        }
    }
}
