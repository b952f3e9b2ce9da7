package io.armature.samples.cart;

import io.armature.samples.util.Varints;
import io.armature.api.Codec;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The byte form of a {@link Cart}:
 * <pre>
 * cart  := format:u8 (= 1) itemCount:varint item* removedCount:varint tag*removedCount
 * item  := nameLength:varint name:utf8 tagCount:varint tag*tagCount
 * tag   := i64 big-endian
 * </pre>
 * The decoder checks every length against what is left of the input and against the limits
 * below before it allocates, and rejects anything else with {@link IllegalArgumentException}.
 */
public final class CartCodec implements Codec<Cart> {
    /** The only format this version reads and writes. */
    public static final int FORMAT = 1;
    /** Most distinct items a cart may hold. */
    public static final int MAX_ITEMS = 10_000;
    /** Longest item name, in UTF-8 bytes. */
    public static final int MAX_ITEM_BYTES = 1024;
    /** Most tags (live and removed) a cart may hold. */
    public static final int MAX_TAGS = 100_000;

    @Override
    public byte[] encode(final Cart cart) {
        int tags = cart.removed().size();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(FORMAT);
        Varints.write(out, cart.adds().size());
        for (final Map.Entry<String, SortedSet<Long>> e : cart.adds().entrySet()) {
            final byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            if (name.length > MAX_ITEM_BYTES) {
                throw new IllegalArgumentException("cart item name is " + name.length + " bytes, at most " + MAX_ITEM_BYTES);
            }
            Varints.write(out, name.length);
            out.write(name, 0, name.length);
            writeTags(out, e.getValue());
            tags += e.getValue().size();
        }
        writeTags(out, cart.removed());
        if (cart.adds().size() > MAX_ITEMS || tags > MAX_TAGS) {
            throw new IllegalArgumentException("cart holds " + cart.adds().size() + " items and " + tags
                + " tags, at most " + MAX_ITEMS + " and " + MAX_TAGS);
        }
        return out.toByteArray();
    }

    @Override
    public Cart decode(final byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("cart: empty input");
        }
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        final int format = in.get() & 0xFF;
        if (format != FORMAT) {
            throw new IllegalArgumentException("cart: unknown format " + format + ", expected " + FORMAT);
        }
        final int items = readCount(in, MAX_ITEMS, 2, "item count");
        final Map<String, Set<Long>> adds = new TreeMap<>();
        int tagTotal = 0;
        for (int i = 0; i < items; i++) {
            final int length = readCount(in, MAX_ITEM_BYTES, 1, "item name length");
            if (length == 0) {
                throw new IllegalArgumentException("cart: item " + i + " has an empty name");
            }
            final byte[] name = new byte[length];
            in.get(name);
            final String item = utf8(name);
            final Set<Long> tags = readTags(in, "item '" + item + "'");
            tagTotal += tags.size();
            if (adds.put(item, tags) != null) {
                throw new IllegalArgumentException("cart: item '" + item + "' appears twice");
            }
        }
        final Set<Long> removed = readTags(in, "removed set");
        tagTotal += removed.size();
        if (tagTotal > MAX_TAGS) {
            throw new IllegalArgumentException("cart: " + tagTotal + " tags, at most " + MAX_TAGS);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("cart: " + in.remaining() + " trailing bytes");
        }
        return Cart.of(adds, removed);
    }

    private static Set<Long> readTags(final ByteBuffer in, final String what) {
        final int count = readCount(in, MAX_TAGS, Long.BYTES, what + " tag count");
        final Set<Long> tags = new HashSet<>();
        for (int i = 0; i < count; i++) {
            if (!tags.add(in.getLong())) {
                throw new IllegalArgumentException("cart: " + what + " repeats a tag");
            }
        }
        return tags;
    }

    /** Reads a count and checks it against a limit and against the bytes left (each element takes at least minBytes). */
    private static int readCount(final ByteBuffer in, final int max, final int minBytes, final String what) {
        final long count = Varints.read(in, "cart");
        if (count > max) {
            throw new IllegalArgumentException("cart: " + what + " " + count + " exceeds " + max);
        }
        if (count * minBytes > in.remaining()) {
            throw new IllegalArgumentException("cart: " + what + " " + count + " exceeds the input");
        }
        return (int) count;
    }

    private static String utf8(final byte[] name) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(name)).toString();
        } catch (final CharacterCodingException e) {
            throw new IllegalArgumentException("cart: an item name is not valid UTF-8", e);
        }
    }

    private static void writeTags(final ByteArrayOutputStream out, final SortedSet<Long> tags) {
        Varints.write(out, tags.size());
        final ByteBuffer b = ByteBuffer.allocate(Long.BYTES);
        for (final long tag : new TreeSet<>(tags)) {
            b.clear();
            b.putLong(tag);
            out.write(b.array(), 0, Long.BYTES);
        }
    }
}
