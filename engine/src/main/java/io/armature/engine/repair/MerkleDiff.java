package io.armature.engine.repair;

import io.armature.engine.repair.AntiEntropyMessages.KeyDigests;
import io.armature.engine.repair.AntiEntropyMessages.KeyRequest;
import io.armature.engine.repair.AntiEntropyMessages.TreeLevel;

import java.util.Arrays;

/**
 * The anti-entropy exchange between two replicas of a partition, as pure steps; the node sends
 * what they return. The descent is stateless and symmetric: each side receives the other's
 * hashes of some nodes of one level, keeps those that differ from its own, and answers with its
 * hashes of their children one level down. So only subtrees that differ are ever sent, and the
 * side that compares the leaves learns the differing key ranges after {@code depth + 1} messages.
 * <pre>
 *   A: start()                -> TREE(level 0, [root])
 *   B: onTreeLevel            -> TREE_REPLY(level 1, children of differing)  or  empty: in sync
 *   A: onTreeLevel            -> TREE(level 2, ...) ...
 *   X: onTreeLevel at leaves  -> LeavesDiffer(leaves): X scans them, sends KEYS(its entries)
 *   Y: compareKeys            -> pushes its differing version sets (REPLICA_PUT), KEYS_REPLY(wanted hashes)
 *   X: on KEYS_REPLY          -> pushes the wanted version sets (REPLICA_PUT)
 * </pre>
 * Version sets merge with {@code VersionSet.sync} on arrival, which is commutative, so pushing
 * both ways converges whichever copy is newer.
 */
public final class MerkleDiff {
    private MerkleDiff() {
    }

    /** What to do after a tree message. */
    public sealed interface Step {
    }

    /**
     * Send this tree message back to the peer.
     *
     * @param message the reply
     */
    public record Reply(TreeLevel message) implements Step {
    }

    /** The peer's message was empty: no difference left, the exchange is over. */
    public record InSync() implements Step {
    }

    /**
     * The leaves that differ; scan their {@link MerkleTree#leafRange}s and send a {@link KeyDigests}.
     *
     * @param leaves the differing leaf indices, ascending
     */
    public record LeavesDiffer(int[] leaves) implements Step {
    }

    /**
     * The result of comparing the peer's entries with ours over the same leaves.
     *
     * @param push key hashes we hold whose version sets the peer lacks or holds differently: send ours
     * @param want key hashes the peer holds that we lack or hold differently: ask for theirs
     */
    public record KeyComparison(long[] push, long[] want) {
    }

    /**
     * @param tree our tree
     * @return the first message of an exchange: our root
     */
    public static TreeLevel start(final MerkleTree tree) {
        return new TreeLevel(TreeShape.of(tree), 0, new int[] {0}, new long[] {tree.root()});
    }

    /**
     * @param mine our tree of the message's partition
     * @param received the peer's hashes of some nodes of one level
     * @return the next step
     * @throws IllegalArgumentException if the shapes differ (the peer runs other settings)
     */
    public static Step onTreeLevel(final MerkleTree mine, final TreeLevel received) {
        final TreeShape shape = TreeShape.of(mine);
        if (!shape.equals(received.shape())) {
            throw new IllegalArgumentException("merkle trees do not match: ours " + shape + ", theirs " + received.shape());
        }
        if (received.indices().length == 0) {
            return new InSync();
        }
        final int level = received.level();
        final int[] differing = mine.differing(level, received.indices(), received.hashes());
        if (differing.length == 0) {
            return new Reply(new TreeLevel(shape, level, new int[0], new long[0]));
        }
        if (level == mine.depth()) {
            return new LeavesDiffer(differing);
        }
        final int[] children = mine.children(level, differing);
        return new Reply(new TreeLevel(shape, level + 1, children, mine.hashes(level + 1, children)));
    }

    /**
     * Compares the peer's entries over some leaves with ours over the same leaves. Entries that
     * share a key hash (a hash collision between keys) are compared as a group.
     *
     * @param theirs the peer's message
     * @param myKeyHashes our key hashes in the same leaves, ascending unsigned
     * @param myDigests our matching digests
     * @return what to push and what to ask for
     */
    public static KeyComparison compareKeys(final KeyDigests theirs, final long[] myKeyHashes, final long[] myDigests) {
        if (myKeyHashes.length != myDigests.length) {
            throw new IllegalArgumentException("compareKeys: " + myKeyHashes.length + " hashes but " + myDigests.length + " digests");
        }
        for (int k = 1; k < myKeyHashes.length; k++) {
            if (Long.compareUnsigned(myKeyHashes[k], myKeyHashes[k - 1]) < 0) {
                throw new IllegalArgumentException("compareKeys: our key hashes are not ascending at " + k);
            }
        }
        final long[] th = theirs.keyHashes();
        final long[] td = theirs.digests();
        final long[] push = new long[myKeyHashes.length];
        final long[] want = new long[th.length];
        int np = 0;
        int nw = 0;
        int i = 0;
        int j = 0;
        while (i < myKeyHashes.length || j < th.length) {
            final int cmp = i == myKeyHashes.length ? 1 : j == th.length ? -1 : Long.compareUnsigned(myKeyHashes[i], th[j]);
            final long hash = cmp <= 0 ? myKeyHashes[i] : th[j];
            long mineSum = 0;
            boolean mineHas = false;
            while (i < myKeyHashes.length && myKeyHashes[i] == hash) {
                mineSum += MerkleTree.entryHash(hash, myDigests[i]);
                mineHas = true;
                i++;
            }
            long theirSum = 0;
            boolean theyHave = false;
            while (j < th.length && th[j] == hash) {
                theirSum += MerkleTree.entryHash(hash, td[j]);
                theyHave = true;
                j++;
            }
            if (mineHas != theyHave || mineSum != theirSum) {
                if (mineHas) {
                    push[np++] = hash;
                }
                if (theyHave) {
                    want[nw++] = hash;
                }
            }
        }
        return new KeyComparison(Arrays.copyOf(push, np), Arrays.copyOf(want, nw));
    }

    /**
     * @param theirs the peer's entries message
     * @param comparison our comparison of it
     * @return the KEYS_REPLY asking for the version sets we want
     */
    public static KeyRequest request(final KeyDigests theirs, final KeyComparison comparison) {
        return new KeyRequest(theirs.shape(), comparison.want());
    }
}
