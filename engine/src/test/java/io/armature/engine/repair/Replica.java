package io.armature.engine.repair;

import io.armature.engine.repair.AntiEntropyMessages.KeyDigests;
import io.armature.engine.repair.AntiEntropyMessages.KeyRequest;
import io.armature.engine.repair.AntiEntropyMessages.TreeLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One replica of a partition in tests: its entries (what storage would hold) and its tree. */
final class Replica {
    final TreeMap<Long, Long> entries = new TreeMap<>(Long::compareUnsigned);
    final MerkleTree tree;

    Replica(final MerkleTree tree) {
        this.tree = tree;
    }

    void put(final long keyHash, final long digest) {
        final Long old = digest == MerkleTree.ABSENT ? entries.remove(keyHash) : entries.put(keyHash, digest);
        tree.update(keyHash, old == null ? MerkleTree.ABSENT : old, digest);
    }

    MerkleTree rebuilt() {
        final MerkleTree t = new MerkleTree(tree.partitionCount(), tree.partition(), tree.fanout(), tree.depth());
        t.rebuild(sink -> entries.forEach(sink::accept));
        return t;
    }

    /** A storage range scan of some leaves. */
    KeyDigests scan(final int[] leaves) {
        final List<Long> hashes = new ArrayList<>();
        final List<Long> digests = new ArrayList<>();
        for (final int leaf : leaves) {
            final KeyHashRange r = tree.leafRange(leaf);
            for (final Map.Entry<Long, Long> e : entries.subMap(r.first(), true, r.last(), true).entrySet()) {
                hashes.add(e.getKey());
                digests.add(e.getValue());
            }
        }
        return new KeyDigests(TreeShape.of(tree), leaves, hashes.stream().mapToLong(Long::longValue).toArray(),
            digests.stream().mapToLong(Long::longValue).toArray());
    }

    /** The totals of one simulated exchange, every message passed through its codec. */
    record Exchange(int[] differingLeaves, long[] scannerPushes, long[] otherPushes, int nodesSent, int treeBytes,
                    int keyBytes, int messages) {
        int totalBytes() {
            return treeBytes + keyBytes;
        }
    }

    static Exchange exchange(final Replica a, final Replica b) {
        final Replica[] sides = {b, a};
        TreeLevel message = MerkleDiff.start(a.tree);
        int nodes = message.indices().length;
        int treeBytes = message.encodedSize();
        int messages = 1;
        int turn = 0;
        while (true) {
            message = TreeLevel.decode(message.encode());
            final MerkleDiff.Step step = MerkleDiff.onTreeLevel(sides[turn].tree, message);
            if (step instanceof MerkleDiff.Reply reply) {
                message = reply.message();
                nodes += message.indices().length;
                treeBytes += message.encodedSize();
                messages++;
                turn ^= 1;
            } else if (step instanceof MerkleDiff.InSync) {
                return new Exchange(new int[0], new long[0], new long[0], nodes, treeBytes, 0, messages);
            } else {
                final int[] leaves = ((MerkleDiff.LeavesDiffer) step).leaves();
                final Replica scanner = sides[turn];
                final Replica other = sides[turn ^ 1];
                final KeyDigests keys = KeyDigests.decode(scanner.scan(leaves).encode());
                final KeyDigests otherScan = other.scan(leaves);
                final MerkleDiff.KeyComparison cmp = MerkleDiff.compareKeys(keys, otherScan.keyHashes(), otherScan.digests());
                final KeyRequest request = KeyRequest.decode(MerkleDiff.request(keys, cmp).encode());
                return new Exchange(leaves, cmp.want(), cmp.push(), nodes, treeBytes,
                    keys.encodedSize() + request.encodedSize(), messages + 2);
            }
        }
    }
}
