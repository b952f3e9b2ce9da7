package io.armature.samples.testing;

import io.armature.samples.cli.ArmatureCli;
import io.armature.samples.cli.ClusterConnector;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs the {@code armature} command line in this JVM and captures what it prints.
 *
 * @param exitCode the exit code
 * @param out standard output
 * @param err standard error
 */
public record CliRun(int exitCode, String out, String err) {
    /**
     * @param connector how client commands reach the cluster
     * @param args the command line
     * @return what happened
     */
    public static CliRun run(final ClusterConnector connector, final String... args) {
        final CommandLine cl = ArmatureCli.commandLine(connector);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        final int code = ArmatureCli.execute(cl, args);
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
