package io.armature.samples.cli;

import io.armature.samples.demo.Demo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code armature demo}: a narrated five-node cluster in this JVM.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Starts a 5-node cluster in this JVM and narrates quorum writes, siblings merged by the",
        "shopping cart, a node stopped and caught up, and the ring. Cleans up after itself."})
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--storage", defaultValue = "bdb", description = "Storage plugin (default: ${DEFAULT-VALUE}).")
    String storage;

    @Option(names = "--transport", defaultValue = "aeron", description = "Transport plugin (default: ${DEFAULT-VALUE}).")
    String transport;

    @Override
    public Integer call() {
        final PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        new Demo(out, storage, transport).run();
        out.flush();
        return ExitCodes.OK;
    }
}
