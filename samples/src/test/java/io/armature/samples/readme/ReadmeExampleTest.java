package io.armature.samples.readme;

import io.armature.api.BlockingKvClient;
import io.armature.api.ConflictResolver;
import io.armature.api.Context;
import io.armature.api.ReadResult;
import io.armature.engine.cluster.EmbeddedCluster;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The embedded-cluster example of the README, kept compiling and passing. */
class ReadmeExampleTest {
    @Test
    void theReadmeExampleRunsAsShown() {
        // --- README example: begin
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).start()) { // memory + local
            BlockingKvClient kv = cluster.client().blocking();
            byte[] key = "cart-1".getBytes(StandardCharsets.UTF_8);

            kv.put(key, "book".getBytes(StandardCharsets.UTF_8), Context.empty());   // blind write
            kv.put(key, "lamp".getBytes(StandardCharsets.UTF_8), Context.empty());   // concurrent: a sibling

            ReadResult<byte[]> read = kv.get(key);                                    // two siblings
            ConflictResolver<byte[]> union = siblings -> String.join(",",
                siblings.stream().map(String::new).sorted().toList()).getBytes(StandardCharsets.UTF_8);
            byte[] merged = read.resolve(union).orElseThrow();
            kv.put(key, merged, read.context());                                      // supersedes both

            List<byte[]> now = kv.get(key).values();                                  // one value: "book,lamp"
            // --- README example: end
            assertEquals(2, read.values().size());
            assertEquals(1, now.size());
            assertEquals("book,lamp", new String(now.get(0), StandardCharsets.UTF_8));
        }
    }
}
