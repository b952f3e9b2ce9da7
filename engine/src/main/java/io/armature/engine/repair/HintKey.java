package io.armature.engine.repair;

import io.armature.engine.ring.NodeId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The storage key of a hint in the HINTS keyspace (docs/internals.md):
 * {@code ownerLength:u8 owner:ascii partition:u16 BE keyHash:i64 BE key}. The owner comes first so
 * that all hints for one node are one prefix scan ({@link #ownerPrefix}), delivered when the
 * failure detector sees that node again; the value is the hinted {@code VersionSet.encode()}.
 *
 * @param owner the node the write was meant for
 * @param partition the key's ring partition, 0..65535
 * @param keyHash the key's 64-bit hash
 * @param key the key
 */
public record HintKey(NodeId owner, int partition, long keyHash, byte[] key) {
    /** Longest key a hint may carry, the engine's hard ceiling on keys. */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    /**
     * Validates the parts.
     */
    public HintKey {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(key, "key");
        if (partition < 0 || partition > 0xFFFF) {
            throw new IllegalArgumentException("hint partition must be in 0..65535, was " + partition);
        }
        if (key.length == 0 || key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("hint key must be 1.." + MAX_KEY_BYTES + " bytes, was " + key.length);
        }
    }

    /**
     * @param owner a node
     * @return the prefix every hint key for that node starts with
     */
    public static byte[] ownerPrefix(final NodeId owner) {
        final byte[] id = owner.value().getBytes(StandardCharsets.US_ASCII);
        final byte[] prefix = new byte[1 + id.length];
        prefix[0] = (byte) id.length;
        System.arraycopy(id, 0, prefix, 1, id.length);
        return prefix;
    }

    /**
     * @return the storage key
     */
    public byte[] encode() {
        final byte[] prefix = ownerPrefix(owner);
        return ByteBuffer.allocate(prefix.length + 2 + 8 + key.length)
            .put(prefix).putShort((short) partition).putLong(keyHash).put(key).array();
    }

    /**
     * @param bytes a storage key from the HINTS keyspace
     * @return the hint key
     * @throws RepairCodecException if the bytes are not a hint key
     */
    public static HintKey decode(final byte[] bytes) {
        if (bytes == null || bytes.length < 1) {
            throw new RepairCodecException("hint key: no bytes");
        }
        final int idLength = bytes[0] & 0xFF;
        if (idLength < 1 || idLength > 64 || bytes.length < 1 + idLength + 2 + 8 + 1) {
            throw new RepairCodecException("hint key: owner length " + idLength + " and total length " + bytes.length
                + " do not fit owner (1..64), partition, hash and a key");
        }
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        b.position(1 + idLength);
        try {
            final NodeId owner = new NodeId(new String(bytes, 1, idLength, StandardCharsets.US_ASCII));
            final int partition = b.getShort() & 0xFFFF;
            final long hash = b.getLong();
            return new HintKey(owner, partition, hash, Arrays.copyOfRange(bytes, b.position(), bytes.length));
        } catch (final IllegalArgumentException e) {
            throw new RepairCodecException("hint key: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof HintKey h && owner.equals(h.owner) && partition == h.partition && keyHash == h.keyHash
            && Arrays.equals(key, h.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(owner, partition, keyHash, Arrays.hashCode(key));
    }

    @Override
    public String toString() {
        return "HintKey[" + owner + ", partition " + partition + ", " + Long.toHexString(keyHash) + ", " + key.length + " bytes]";
    }
}
