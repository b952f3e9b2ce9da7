package io.armature.engine.ring;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

/**
 * The partition ring (Dynamo, section 6.2, strategy 3): the hash space is cut into Q equal
 * partitions, Q a power of two, and each partition has one owner. A key lives in partition
 * {@code top log2(Q) bits of hash64(key)}; its replicas are the first N distinct nodes met
 * walking the partitions clockwise, spread over zones first. Immutable: {@link #join} and
 * {@link #leave} return the next epoch. The claim algorithm is in {@link Claim}.
 *
 * <p>The walk of partition p is: first, in clockwise order, the first node met of each zone not
 * yet used; then every other member in the order it is first met. So:
 * <ul>
 *   <li>a preference list of N is the first N of the walk, starts with the owner, and its first
 *       min(N, zones) replicas are in distinct zones;</li>
 *   <li>without zones (all members in one zone, e.g. {@code ""}) it is the plain clockwise walk,
 *       and a join changes a preference list only by entering it (everything before the
 *       joiner's first appearance in the walk is unchanged). With several zones this does not
 *       hold: the joiner can hide the node that was the first met of its zone, so a replica can
 *       change to another node without the joiner entering (the same trade-off as Cassandra's
 *       rack-aware placement);</li>
 *   <li>how far the walk goes to find N distinct nodes depends on the spread of the claim: a
 *       created ring has distinct owners in any {@code Claim.createdSpacing(Q, S)} consecutive
 *       partitions (S when S divides Q, else floor((S + Q mod S) / 2); 3 for Q=256, S=5), and a
 *       join onto it keeps runs of min(3, that) distinct. Leaves keep balance and minimal
 *       movement first, so they can put a node's partitions side by side; lists stay correct,
 *       the walk is merely longer.</li>
 * </ul>
 * The first {@link #PRECOMPUTED} entries of every walk are computed once in the constructor, with
 * one immutable list view per N up to that, so {@link #preferenceList} on the hot path is an
 * array lookup that allocates nothing (about 24 bytes per view: ~50 KiB at Q=256, ~12 MiB at the
 * largest Q=65536 with S >= 8).
 */
public final class Ring {

    /** Default number of partitions. */
    public static final int DEFAULT_PARTITIONS = 256;
    /** Smallest allowed number of partitions. */
    public static final int MIN_PARTITIONS = 8;
    /** Largest allowed number of partitions (partition numbers fit in an unsigned 16-bit field). */
    public static final int MAX_PARTITIONS = 65536;
    /** Length of the walk prefix computed per partition up front (covers any sane N). */
    static final int PRECOMPUTED = 8;

    private final long epoch;
    private final int shift;
    private final NodeId[] members;
    private final String[] zones;
    private final int[] zoneIndex;
    private final int zoneCount;
    private final int[] owner;
    private final Map<NodeId, Integer> indexOf;
    private final Set<NodeId> memberSet;
    private final Map<NodeId, Integer> ownedCounts;
    // Row-major, prefixWidth per partition: views[p * prefixWidth + n - 1] is the list of n.
    private final int prefixWidth;
    private final List<NodeId>[] views;
    // The same prefixes as member indices, for scans.
    private final int[] prefixIndices;

    /** Takes ownership of the arrays; callers pass members sorted and a balanced owner table. */
    Ring(long epoch, NodeId[] members, String[] zones, int[] owner) {
        this.epoch = epoch;
        this.shift = 64 - Integer.numberOfTrailingZeros(owner.length);
        this.members = members;
        this.zones = zones;
        this.owner = owner;
        Map<NodeId, Integer> index = new HashMap<>();
        for (int i = 0; i < members.length; i++) {
            index.put(members[i], i);
        }
        this.indexOf = index;
        this.memberSet = Collections.unmodifiableSet(new TreeSet<>(Arrays.asList(members)));
        Map<String, Integer> zoneIds = new TreeMap<>();
        this.zoneIndex = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            zoneIndex[i] = zoneIds.computeIfAbsent(zones[i], z -> zoneIds.size());
        }
        this.zoneCount = zoneIds.size();
        int[] counts = Claim.counts(owner, members.length);
        Map<NodeId, Integer> owned = new LinkedHashMap<>();
        for (int i = 0; i < members.length; i++) {
            owned.put(members[i], counts[i]);
        }
        this.ownedCounts = Collections.unmodifiableMap(owned);
        this.prefixWidth = Math.min(PRECOMPUTED, members.length);
        this.prefixIndices = new int[owner.length * prefixWidth];
        this.views = newListArray(owner.length * prefixWidth);
        Walks.prefixes(owner, zoneIndex, zoneCount, members.length, prefixWidth, prefixIndices);
        for (int p = 0; p < owner.length; p++) {
            int base = p * prefixWidth;
            NodeId[] prefix = new NodeId[prefixWidth];
            for (int k = 0; k < prefixWidth; k++) {
                prefix[k] = members[prefixIndices[base + k]];
            }
            for (int n = 1; n <= prefixWidth; n++) {
                views[base + n - 1] = new PrefixList(prefix, n);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<NodeId>[] newListArray(int size) {
        return (List<NodeId>[]) new List<?>[size];
    }

    /**
     * Creates the first ring (epoch 1) over the given members.
     *
     * @param partitions Q, a power of two in {@value #MIN_PARTITIONS}..{@value #MAX_PARTITIONS}
     * @param nodes      every member and its zone ({@code ""} when zones are not used)
     * @return the ring
     * @throws IllegalArgumentException if Q is invalid, there are no nodes, more nodes than
     *                                  partitions, or a zone is invalid
     */
    public static Ring create(int partitions, Map<NodeId, String> nodes) {
        checkPartitions(partitions);
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a ring needs at least one node");
        }
        if (nodes.size() > partitions) {
            throw new IllegalArgumentException("cannot place " + nodes.size() + " nodes on "
                + partitions + " partitions: every node must own at least one partition");
        }
        TreeMap<NodeId, String> sorted = new TreeMap<>();
        nodes.forEach((n, z) -> sorted.put(Objects.requireNonNull(n, "node"), checkZone(z)));
        NodeId[] members = sorted.keySet().toArray(new NodeId[0]);
        String[] zones = sorted.values().toArray(new String[0]);
        return new Ring(1, members, zones, Claim.create(partitions, zones));
    }

    static void checkPartitions(int partitions) {
        if (partitions < MIN_PARTITIONS || partitions > MAX_PARTITIONS
            || Integer.bitCount(partitions) != 1) {
            throw new IllegalArgumentException("partitions must be a power of two in "
                + MIN_PARTITIONS + ".." + MAX_PARTITIONS + ", got " + partitions);
        }
    }

    /** Zones follow the node id alphabet (or are empty), so the encoded ring stays ASCII. */
    static String checkZone(String zone) {
        Objects.requireNonNull(zone, "zone");
        if (!zone.isEmpty()) {
            try {
                new NodeId(zone);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid zone '" + zone + "': zones are empty "
                    + "or 1.." + NodeId.MAX_LENGTH + " characters of [A-Za-z0-9._-]", e);
            }
        }
        return zone;
    }

    /** @return the version of this ring; every join or leave adds one */
    public long epoch() {
        return epoch;
    }

    /** @return Q */
    public int partitionCount() {
        return owner.length;
    }

    /** @return the members, sorted */
    public Set<NodeId> members() {
        return memberSet;
    }

    /**
     * @param node a member
     * @return its zone ({@code ""} when none)
     * @throws IllegalArgumentException if {@code node} is not a member
     */
    public String zoneOf(NodeId node) {
        return zones[index(node)];
    }

    /**
     * @param hash a key hash
     * @return the partition: the top log2(Q) bits of {@code hash}, unsigned
     */
    public int partitionOf(long hash) {
        return (int) (hash >>> shift);
    }

    /**
     * @param key key bytes
     * @return {@code partitionOf(KeyHash.hash64(key))}
     */
    public int partitionForKey(byte[] key) {
        return partitionOf(KeyHash.hash64(key));
    }

    /**
     * @param partition a partition number
     * @return its owner
     */
    public NodeId owner(int partition) {
        return members[owner[checkPartition(partition)]];
    }

    /**
     * The first {@code n} entries of {@link #walk(int)}: n distinct nodes (all members if fewer),
     * the first min(n, zones) of them in distinct zones.
     *
     * @param partition a partition number
     * @param n         replicas wanted, at least 1
     * @return an immutable list
     */
    public List<NodeId> preferenceList(int partition, int n) {
        checkPartition(partition);
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (n <= prefixWidth) {
            return views[partition * prefixWidth + n - 1];
        }
        if (prefixWidth == members.length) {
            return views[partition * prefixWidth + prefixWidth - 1];
        }
        int[] walk = Walks.walk(owner, zoneIndex, zoneCount, members.length, partition,
            Math.min(n, members.length));
        NodeId[] nodes = new NodeId[walk.length];
        for (int k = 0; k < walk.length; k++) {
            nodes[k] = members[walk[k]];
        }
        return List.of(nodes);
    }

    /**
     * Every member in preference order; beyond the first N it is the extended list where
     * sloppy-quorum stand-ins come from. Up to {@link #PRECOMPUTED} members this is the
     * precomputed list; a longer walk is computed per call by scanning the ring (O(Q)), so a
     * hot path that needs only a few stand-ins should ask {@code preferenceList(p, N + k)}.
     *
     * @param partition a partition number
     * @return an immutable list of all members
     */
    public List<NodeId> walk(int partition) {
        return preferenceList(partition, members.length);
    }

    /** @return partitions owned per member, in member order */
    public Map<NodeId, Integer> ownedCounts() {
        return ownedCounts;
    }

    /**
     * @param node a member
     * @return the partitions it owns, ascending
     */
    public int[] partitionsOwnedBy(NodeId node) {
        int i = index(node);
        return filter(p -> owner[p] == i);
    }

    /**
     * @param node a member (or not: then the result is empty)
     * @param n    replicas per partition
     * @return the partitions whose preference list of {@code n} holds {@code node}, ascending
     */
    public int[] partitionsReplicatedBy(NodeId node, int n) {
        Integer i = indexOf.get(Objects.requireNonNull(node, "node"));
        if (n < 1) {
            throw new IllegalArgumentException("n must be at least 1, got " + n);
        }
        if (i == null) {
            return new int[0];
        }
        if (n > prefixWidth) {
            return filter(p -> preferenceList(p, n).contains(node));
        }
        int m = i;
        return filter(p -> {
            for (int k = p * prefixWidth, end = k + n; k < end; k++) {
                if (prefixIndices[k] == m) {
                    return true;
                }
            }
            return false;
        });
    }

    private int[] filter(IntPredicate test) {
        int[] out = new int[owner.length];
        int size = 0;
        for (int p = 0; p < owner.length; p++) {
            if (test.test(p)) {
                out[size++] = p;
            }
        }
        return Arrays.copyOf(out, size);
    }

    /**
     * @param node a new member
     * @param zone its zone ({@code ""} when none)
     * @return the next ring, where {@code node} took about Q/S partitions and nothing else moved
     * @throws IllegalArgumentException if {@code node} is already a member or the zone is invalid
     * @throws IllegalStateException    if every partition already has its own node
     */
    public Ring join(NodeId node, String zone) {
        Objects.requireNonNull(node, "node");
        checkZone(zone);
        if (indexOf.containsKey(node)) {
            throw new IllegalArgumentException(node + " is already a member of the ring");
        }
        if (members.length == owner.length) {
            throw new IllegalStateException("cannot join " + node + ": the ring of "
                + owner.length + " partitions already has " + members.length + " members");
        }
        int x = -Arrays.binarySearch(members, node) - 1;
        NodeId[] newMembers = new NodeId[members.length + 1];
        String[] newZones = new String[members.length + 1];
        int[] remap = new int[members.length];
        for (int i = 0, j = 0; j < newMembers.length; j++) {
            if (j == x) {
                newMembers[j] = node;
                newZones[j] = zone;
            } else {
                newMembers[j] = members[i];
                newZones[j] = zones[i];
                remap[i++] = j;
            }
        }
        int[] current = new int[owner.length];
        for (int p = 0; p < owner.length; p++) {
            current[p] = remap[owner[p]];
        }
        return new Ring(epoch + 1, newMembers, newZones, Claim.join(current, newMembers.length, x));
    }

    /**
     * A new node takes over a member's place: every partition the member owned is owned by
     * {@code replacement}, in the member's zone, and nothing else moves, so every preference list
     * is the old one with the member swapped for the replacement (Riak's {@code cluster replace}).
     *
     * @param member a member, typically one gone for good
     * @param replacement a node that is not a member
     * @return the next ring
     * @throws IllegalArgumentException if {@code member} is not a member or {@code replacement} is one
     */
    public Ring replace(NodeId member, NodeId replacement) {
        Objects.requireNonNull(replacement, "replacement");
        int x = index(member);
        if (indexOf.containsKey(replacement)) {
            throw new IllegalArgumentException(replacement + " is already a member of the ring");
        }
        NodeId[] newMembers = members.clone();
        newMembers[x] = replacement;
        Arrays.sort(newMembers);
        Map<NodeId, Integer> at = new HashMap<>();
        for (int i = 0; i < newMembers.length; i++) {
            at.put(newMembers[i], i);
        }
        String[] newZones = new String[members.length];
        int[] remap = new int[members.length];
        for (int i = 0; i < members.length; i++) {
            remap[i] = at.get(i == x ? replacement : members[i]);
            newZones[remap[i]] = zones[i];
        }
        int[] moved = new int[owner.length];
        for (int p = 0; p < owner.length; p++) {
            moved[p] = remap[owner[p]];
        }
        return new Ring(epoch + 1, newMembers, newZones, moved);
    }

    /**
     * @param node a member
     * @return the next ring, where only {@code node}'s partitions moved
     * @throws IllegalArgumentException if {@code node} is not a member
     * @throws IllegalStateException    if {@code node} is the last member
     */
    public Ring leave(NodeId node) {
        int x = index(node);
        if (members.length == 1) {
            throw new IllegalStateException("cannot remove " + node
                + ": it is the last member of the ring, and a ring needs at least one node");
        }
        int[] moved = Claim.leave(owner, members.length, x);
        NodeId[] newMembers = new NodeId[members.length - 1];
        String[] newZones = new String[members.length - 1];
        for (int i = 0, j = 0; i < members.length; i++) {
            if (i != x) {
                newMembers[j] = members[i];
                newZones[j++] = zones[i];
            }
        }
        for (int p = 0; p < moved.length; p++) {
            moved[p] -= moved[p] > x ? 1 : 0;
        }
        return new Ring(epoch + 1, newMembers, newZones, moved);
    }

    /**
     * @param partitions Q
     * @return the most bytes {@link #encode()} can produce for a ring of Q partitions (Q members with
     *     the longest ids and zones): a bound for buffering a ring before it is decoded
     */
    public static long maxEncodedLength(int partitions) {
        checkPartitions(partitions);
        return RingCodec.maxEncodedLength(partitions);
    }

    /** @return the versioned byte form, see {@link RingCodec} */
    public byte[] encode() {
        return RingCodec.encode(epoch, members, zones, owner);
    }

    /**
     * @param bytes the output of {@link #encode()}
     * @return the ring
     * @throws RingCodecException if the bytes are malformed; nothing else is thrown
     */
    public static Ring decode(byte[] bytes) {
        return RingCodec.decode(bytes);
    }

    private int index(NodeId node) {
        Integer i = indexOf.get(Objects.requireNonNull(node, "node"));
        if (i == null) {
            throw new IllegalArgumentException(node + " is not a member of the ring");
        }
        return i;
    }

    private int checkPartition(int partition) {
        if (partition < 0 || partition >= owner.length) {
            throw new IllegalArgumentException(
                "partition must be in 0.." + (owner.length - 1) + ", got " + partition);
        }
        return partition;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ring r && epoch == r.epoch && Arrays.equals(members, r.members)
            && Arrays.equals(zones, r.zones) && Arrays.equals(owner, r.owner);
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, Arrays.hashCode(members), Arrays.hashCode(owner));
    }

    @Override
    public String toString() {
        return "Ring{epoch=" + epoch + ", partitions=" + owner.length + ", owned=" + ownedCounts + "}";
    }
}
