package io.armature.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypedKvClientTest {
    /** Holds fixed siblings and records the last write. */
    private static final class FakeClient implements KvClient {
        private final ReadResult<byte[]> current;
        byte[] writtenValue;
        Context writtenContext;

        FakeClient(final ReadResult<byte[]> current) {
            this.current = current;
        }

        @Override
        public CompletableFuture<ReadResult<byte[]>> get(final byte[] key, final Consistency consistency) {
            return CompletableFuture.completedFuture(current);
        }

        @Override
        public CompletableFuture<ReadResult<byte[]>> put(final byte[] key, final byte[] value, final Context context,
                                                         final Consistency consistency) {
            writtenValue = value;
            writtenContext = context;
            return CompletableFuture.completedFuture(ReadResult.of(List.of(value), context));
        }

        @Override
        public CompletableFuture<ReadResult<byte[]>> delete(final byte[] key, final Context context, final Consistency consistency) {
            final CompletableFuture<ReadResult<byte[]>> f = new CompletableFuture<>();
            f.completeExceptionally(new QuorumNotReachedException("delete", 2, 1));
            return f;
        }

        @Override
        public void close() {
        }
    }

    private static final Context CTX = Context.ofEntries(new byte[][] {{1}, {2}}, new long[] {3, 4});

    @Test
    void updateMergesSiblingsWithTheResolverAndWritesWithTheReadsContext() {
        final FakeClient raw = new FakeClient(ReadResult.of(List.of("milk".getBytes(), "eggs".getBytes()), CTX));
        final TypedKvClient<String, String> carts = raw.typed(Codec.utf8(), Codec.utf8());
        final ConflictResolver<String> union = siblings -> String.join(",", new TreeSet<>(siblings));

        final ReadResult<String> after = carts.update("cart", union, merged -> merged.orElse("") + ",bread").join();

        assertEquals("eggs,milk,bread", new String(raw.writtenValue));
        assertSame(CTX, raw.writtenContext);
        assertEquals(List.of("eggs,milk,bread"), after.values());
    }

    @Test
    void updateOfAMissingKeyStartsFromEmptyWithABlindContext() {
        final FakeClient raw = new FakeClient(ReadResult.empty());
        raw.typed(Codec.utf8(), Codec.utf8()).update("cart", s -> s.get(0), v -> v.orElse("new")).join();
        assertEquals("new", new String(raw.writtenValue));
        assertTrue(raw.writtenContext.isEmpty());
    }

    @Test
    void theBlockingViewThrowsTheApiExceptionItself() {
        final QuorumNotReachedException e = assertThrows(QuorumNotReachedException.class,
            () -> new FakeClient(ReadResult.empty()).blocking().delete("k".getBytes(), Context.empty()));
        assertEquals(2, e.required());
        assertEquals(1, e.achieved());
        assertEquals("delete: quorum not reached: 2 required, 1 achieved", e.getMessage());
    }

    @Test
    void resolveIsOnlyCalledForRealConflicts() {
        final List<List<String>> calls = new ArrayList<>();
        final ConflictResolver<String> spy = s -> {
            calls.add(s);
            return s.get(0);
        };
        assertEquals("a", ReadResult.of(List.of("a"), Context.empty()).resolve(spy).orElseThrow());
        assertFalse(ReadResult.<String>empty().resolve(spy).isPresent());
        assertTrue(calls.isEmpty());
        ReadResult.of(List.of("a", "b"), CTX).resolve(spy);
        assertEquals(1, calls.size());
        assertTrue(ReadResult.of(List.of("a", "b"), CTX).isConflict());
    }

    @Test
    void readResultsAreImmutable() {
        final List<String> values = new ArrayList<>(List.of("a"));
        final ReadResult<String> r = ReadResult.of(values, Context.empty());
        values.add("b");
        assertEquals(1, r.values().size());
        assertThrows(UnsupportedOperationException.class, () -> r.values().add("c"));
        assertEquals(Collections.singletonList("A"), r.map(String::toUpperCase).values());
    }

    @Test
    void consistencyRejectsNonsenseAndKeepsDefaultsUnset() {
        assertThrows(InvalidRequestException.class, () -> Consistency.of(0, 2));
        assertThrows(InvalidRequestException.class, () -> Consistency.defaults().withTimeout(Duration.ZERO));
        final Consistency c = Consistency.of(1, 3);
        assertEquals(1, c.r());
        assertEquals(3, c.w());
        assertEquals(null, c.timeout());
        assertEquals(0, Consistency.defaults().r());
        assertEquals(c, Consistency.of(1, 3));
    }
}
