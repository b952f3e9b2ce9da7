package io.armature.engine.replica;

import io.armature.engine.ring.KeyHash;
import io.armature.engine.ring.NodeId;
import java.nio.charset.StandardCharsets;

/**
 * The record keys the engine stores under (docs/internals.md, "Storage layout used by the
 * engine"): partition records lead with the key's hash so that a Merkle leaf's hash range is one
 * contiguous scan; hints lead with the intended owner so that handoff scans one owner's hints.
 */
public final class StorageLayout {
    /** META key of the node's incarnation (8 bytes, big-endian). */
    public static final byte[] INCARNATION_KEY = "incarnation".getBytes(StandardCharsets.US_ASCII);
    /** META key of the start counter, the gossip generation (8 bytes, big-endian). */
    public static final byte[] GENERATION_KEY = "generation".getBytes(StandardCharsets.US_ASCII);
    /** META key of the encoded ring. */
    public static final byte[] RING_KEY = "ring".getBytes(StandardCharsets.US_ASCII);
    /** META key of the partitions still moving, as this node knows them ({@code repair.StreamingState}). */
    public static final byte[] PENDING_KEY = "pending".getBytes(StandardCharsets.US_ASCII);
    /** META key of the actor epochs' lease: epochs below it may have been handed out. */
    public static final byte[] EPOCH_LEASE_KEY = "epoch-lease".getBytes(StandardCharsets.US_ASCII);
    /** META key written by a clean stop: the next epoch exactly, so a clean restart loses none. */
    public static final byte[] CLEAN_STOP_KEY = "clean-stop".getBytes(StandardCharsets.US_ASCII);

    private StorageLayout() {
    }

    /**
     * @param key a client key
     * @return {@code hash64(key) BE ++ key}
     */
    public static byte[] recordKey(final byte[] key) {
        final byte[] out = new byte[8 + key.length];
        putLong(out, 0, KeyHash.hash64(key));
        System.arraycopy(key, 0, out, 8, key.length);
        return out;
    }

    /**
     * @param owner the node the hinted copy is meant for
     * @param partition the key's partition
     * @param key the client key
     * @return {@code ownerLength:u8 owner ++ partition:u16 BE ++ hash64 BE ++ key}
     */
    public static byte[] hintKey(final NodeId owner, final int partition, final byte[] key) {
        final byte[] o = owner.value().getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[1 + o.length + 2 + 8 + key.length];
        int p = 0;
        out[p++] = (byte) o.length;
        System.arraycopy(o, 0, out, p, o.length);
        p += o.length;
        out[p++] = (byte) (partition >>> 8);
        out[p++] = (byte) partition;
        putLong(out, p, KeyHash.hash64(key));
        p += 8;
        System.arraycopy(key, 0, out, p, key.length);
        return out;
    }

    /**
     * @param owner a node
     * @return the prefix of every hint key for that node
     */
    public static byte[] hintPrefix(final NodeId owner) {
        final byte[] o = owner.value().getBytes(StandardCharsets.US_ASCII);
        final byte[] out = new byte[1 + o.length];
        out[0] = (byte) o.length;
        System.arraycopy(o, 0, out, 1, o.length);
        return out;
    }

    /**
     * @param out where
     * @param offset at which offset
     * @param v the value, written big-endian
     */
    static void putLong(final byte[] out, final int offset, final long v) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    /**
     * @param in bytes
     * @return the big-endian long in the first 8 bytes
     */
    static long getLong(final byte[] in) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (in[i] & 0xFF);
        }
        return v;
    }
}
