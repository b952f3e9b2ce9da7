package io.armature.distribution;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * armature-bom has no parent (an import must bring Armature's versions only), so nothing keeps it
 * in step with the build but this: it names every published module, at the build's version.
 */
class BomTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final String VERSION = System.getProperty("armature.version");

    private static List<String> all(final String text, final String regex) {
        final List<String> found = new ArrayList<>();
        final Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    @Test
    void theBomListsEveryPublishedModuleAtTheBuildsVersion() throws IOException {
        final String root = Files.readString(REPOSITORY.resolve("pom.xml"));
        final TreeSet<String> published = new TreeSet<>();
        for (final String module : all(root, "<module>([^<]+)</module>")) {
            final String pom = Files.readString(REPOSITORY.resolve(module).resolve("pom.xml"));
            final String artifact = all(pom.replaceAll("(?s)<parent>.*?</parent>", ""), "<artifactId>([^<]+)</artifactId>").get(0);
            if (!artifact.equals("armature-bom") && !artifact.equals("armature-distribution")) {
                published.add(artifact);
            }
        }
        final String bom = Files.readString(REPOSITORY.resolve("bom/pom.xml"));
        assertEquals(published, new TreeSet<>(all(bom, "<artifactId>(armature-(?!bom)[^<]+)</artifactId><version>\\$\\{armature.version}")));
        assertEquals(VERSION, all(bom, "<armature.version>([^<]+)</armature.version>").get(0));
        assertEquals(VERSION, all(bom.replaceAll("(?s)<!--.*?-->", ""), "<version>([^<$]+)</version>").get(0), "the bom's own version");
    }
}
