package io.armature.engine.repair;

import java.util.Arrays;

/**
 * The body of HANDOFF (a gainer tells a node it now holds some partitions) and of HANDOFF_ACK
 * (the same body echoed once applied). Byte form: {@code version:u8 (1) epoch:i64 BE count:u16 BE
 * count x partition:u16 BE}, partitions strictly ascending. The epoch is the ring epoch the gainer
 * held when its copies completed: a receiver confirms a gainer only for a gain made at that epoch
 * or earlier. A decoder never allocates more than the input justifies.
 *
 * @param epoch the gainer's ring epoch
 * @param partitions the partitions it holds, ascending, at most {@link #MAX_PARTITIONS}
 */
public record HandoffNotice(long epoch, int[] partitions) {
    /** Most partitions one body carries (senders split longer lists). */
    public static final int MAX_PARTITIONS = 4096;
    private static final byte VERSION = 1;
    private static final int HEADER = 1 + 8 + 2;

    /**
     * Validates the parts.
     */
    public HandoffNotice {
        if (epoch < 1) {
            throw new IllegalArgumentException("handoff: epoch must be at least 1, was " + epoch);
        }
        partitions = partitions.clone();
        if (partitions.length > MAX_PARTITIONS) {
            throw new IllegalArgumentException("handoff: " + partitions.length + " partitions, at most " + MAX_PARTITIONS);
        }
        for (int i = 0; i < partitions.length; i++) {
            if (partitions[i] < 0 || partitions[i] > 0xFFFF || (i > 0 && partitions[i] <= partitions[i - 1])) {
                throw new IllegalArgumentException("handoff: partition " + partitions[i] + " at " + i + " is not ascending in 0..65535");
            }
        }
    }

    /** @return the byte form */
    public byte[] encode() {
        final byte[] out = new byte[HEADER + 2 * partitions.length];
        out[0] = VERSION;
        for (int i = 0; i < 8; i++) {
            out[1 + i] = (byte) (epoch >>> (56 - 8 * i));
        }
        out[9] = (byte) (partitions.length >>> 8);
        out[10] = (byte) partitions.length;
        for (int i = 0; i < partitions.length; i++) {
            out[HEADER + 2 * i] = (byte) (partitions[i] >>> 8);
            out[HEADER + 2 * i + 1] = (byte) partitions[i];
        }
        return out;
    }

    /**
     * @param bytes a HANDOFF or HANDOFF_ACK body
     * @return the notice
     * @throws RepairCodecException if the bytes are malformed
     */
    public static HandoffNotice decode(final byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new RepairCodecException("handoff: " + bytes.length + " bytes, the header alone takes " + HEADER);
        }
        if (bytes[0] != VERSION) {
            throw new RepairCodecException("handoff: unknown version " + bytes[0] + " at offset 0");
        }
        long epoch = 0;
        for (int i = 0; i < 8; i++) {
            epoch = (epoch << 8) | (bytes[1 + i] & 0xFF);
        }
        final int count = (bytes[9] & 0xFF) << 8 | bytes[10] & 0xFF;
        if (bytes.length != HEADER + 2 * count) {
            throw new RepairCodecException("handoff: " + count + " partitions need " + (HEADER + 2 * count) + " bytes, found "
                + bytes.length + " at offset 9");
        }
        final int[] partitions = new int[count];
        for (int i = 0; i < count; i++) {
            partitions[i] = (bytes[HEADER + 2 * i] & 0xFF) << 8 | bytes[HEADER + 2 * i + 1] & 0xFF;
        }
        try {
            return new HandoffNotice(epoch, partitions);
        } catch (final IllegalArgumentException e) {
            throw new RepairCodecException(e.getMessage());
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof HandoffNotice h && h.epoch == epoch && Arrays.equals(h.partitions, partitions);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + Arrays.hashCode(partitions);
    }

    @Override
    public String toString() {
        return "HandoffNotice[epoch=" + epoch + ", partitions=" + Arrays.toString(partitions) + "]";
    }
}
