package io.armature.samples.chaos;

import java.nio.file.Path;
import java.util.List;

/** The command line that runs {@code armature} from this test class path, as the chaos harness's node processes. */
final class ChaosLauncher {
    private ChaosLauncher() {
    }

    static List<String> fromTestClassPath() {
        // C1 only: a node process starts listening about twice as fast on a loaded 2-core machine
        // (mean of 6 starts 2.9 s against 6.3 s at load average 20-35), and the paced chaos clients need no C2 code.
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.armature.samples.cli.ArmatureCli");
    }

    static Path outputDir() {
        return Path.of(System.getProperty("chaos.output", "target/chaos"));
    }
}
