package io.armature.api;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The api is what library users compile against: it must pull in nothing but the JDK. */
class ApiBoundaryTest {
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void apiSourcesImportOnlyTheJdkAndTheApi() throws IOException {
        final List<String> offending = new ArrayList<>();
        final Path root = Path.of("src/main/java");
        assertTrue(Files.isDirectory(root), "run from the api module directory");
        try (Stream<Path> files = Files.walk(root)) {
            for (final Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                final Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    final String imported = m.group(1);
                    if (!imported.startsWith("java.") && !imported.startsWith("io.armature.api.")) {
                        offending.add(f + ": " + imported);
                    }
                }
            }
        }
        assertEquals(List.of(), offending);
    }
}
