package io.armature.engine.repair;

import io.armature.engine.replica.ReplicaStore;
import io.armature.engine.replica.StorageLayout;
import io.armature.engine.ring.NodeId;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Picks the hints of one owner that a handoff round sends. Hint keys sort by owner, then
 * partition, so one owner's hints are one range; the hints of partitions the owner still
 * replicates wait for the owner, the others are re-routed. When the owner cannot take more (it is
 * suspected), the scan jumps over each run of its partitions to the next partition it no longer
 * replicates, so a round reads only the hints it sends plus one per skipped run, not every hint
 * held for a long-dead owner.
 */
final class HintSelection {
    private HintSelection() {
    }

    /**
     * @param store where the hints are
     * @param inFlight hint keys already awaiting an ack (skipped)
     * @param owner whose hints
     * @param replicated the partitions owner replicates under the current ring, or null if none
     * @param ownerRoom how many hints may go to the owner itself
     * @param room how many hints may be picked in all
     * @return the picked hints, in key order
     */
    static List<HintedHandoff.Hint> select(final ReplicaStore store, final Set<ByteBuffer> inFlight, final NodeId owner,
                                           final boolean[] replicated, final int ownerRoom, final int room) {
        final byte[] prefix = StorageLayout.hintPrefix(owner);
        final byte[] end = prefix.clone();
        end[end.length - 1]++;
        final List<HintedHandoff.Hint> out = new ArrayList<>();
        // left[0]: room for the owner, left[1]: room in all; blocked[0]: partition of a hint that must wait
        final int[] left = {ownerRoom, room};
        byte[] from = prefix;
        while (from != null && left[1] > 0) {
            final int[] blocked = {-1};
            store.scanHints(from, end, (k, v) -> {
                if (inFlight.contains(ByteBuffer.wrap(k))) {
                    return true;
                }
                final int p = partitionOf(k, prefix.length);
                final boolean ownerBound = replicated != null && p >= 0 && p < replicated.length && replicated[p];
                if (ownerBound) {
                    if (left[0] == 0) {
                        blocked[0] = p;
                        return false;
                    }
                    left[0]--;
                }
                out.add(new HintedHandoff.Hint(k, v, ownerBound));
                return --left[1] > 0;
            });
            from = blocked[0] < 0 ? null : seek(prefix, replicated, blocked[0] + 1);
        }
        return out;
    }

    /** @return the partition field of a hint key, or -1 if the key is too short to have one */
    static int partitionOf(final byte[] hintKey, final int prefixLength) {
        if (hintKey.length < prefixLength + 2) {
            return -1;
        }
        return (hintKey[prefixLength] & 0xFF) << 8 | hintKey[prefixLength + 1] & 0xFF;
    }

    /** @return the first hint key of the first partition from {@code first} on that the owner does not replicate, or null */
    private static byte[] seek(final byte[] prefix, final boolean[] replicated, final int first) {
        for (int p = first; p < replicated.length; p++) {
            if (!replicated[p]) {
                final byte[] from = Arrays.copyOf(prefix, prefix.length + 2);
                from[prefix.length] = (byte) (p >>> 8);
                from[prefix.length + 1] = (byte) p;
                return from;
            }
        }
        return null;
    }
}
