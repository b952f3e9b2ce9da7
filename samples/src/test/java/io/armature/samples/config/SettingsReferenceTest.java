package io.armature.samples.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/configuration.md is what the code describes, byte for byte. */
class SettingsReferenceTest {
    private static final Path DOC = Path.of("").toAbsolutePath().getParent().resolve("docs/configuration.md");

    @Test
    void theCommittedReferenceIsTheGeneratedOne() throws Exception {
        final String generated = SettingsReference.markdown();
        if (Boolean.getBoolean("armature.regenerate-docs")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertTrue(generated.contains("| `bdb.cache-size` | `25%` |"), generated);
        assertTrue(generated.contains("| `aeron.mtu` | `8k` |"), generated);
        assertEquals(generated, Files.readString(DOC, StandardCharsets.UTF_8),
            "docs/configuration.md is stale: regenerate it: mvn -o -pl samples -am verify -Dtest=SettingsReferenceTest -Dsurefire.failIfNoSpecifiedTests=false -Darmature.regenerate-docs=true");
    }
}
