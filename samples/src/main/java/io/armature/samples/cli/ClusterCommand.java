package io.armature.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code armature cluster leave|remove|replace|plan|commit|clear}: ring changes as Riak's
 * {@code riak-admin cluster} makes them. leave, remove and replace only stage a change on the
 * node asked (the first of {@code --cluster} that answers); {@code plan} prints the partition
 * moves the staged changes make; {@code commit} sends them to the claimant, which installs the
 * next ring; gossip spreads it and the partitions move in the background (docs/operations.md).
 */
@Command(name = "cluster", mixinStandardHelpOptions = true,
    description = {"Stages ring changes (leave, remove, replace), shows their partition moves (plan), makes them (commit).",
        "Stage, plan and commit through the same --cluster list: staged changes live on the node that answers first."},
    subcommands = {ClusterCommand.Leave.class, ClusterCommand.Remove.class, ClusterCommand.Replace.class,
        ClusterCommand.Plan.class, ClusterCommand.Commit.class, ClusterCommand.Clear.class})
final class ClusterCommand implements Runnable {
    @CommandLine.ParentCommand
    ArmatureCli parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a cluster command is required: "
            + String.join(", ", spec.subcommands().keySet()));
    }

    /** What every cluster subcommand does: one admin request, its answer printed. */
    abstract static class Admin implements Callable<Integer> {
        @CommandLine.ParentCommand
        ClusterCommand parent;

        @CommandLine.Mixin
        ClusterOptions cluster;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String method();

        abstract String path();

        @Override
        public Integer call() {
            final String answer = parent.parent.connector().admin(cluster.seeds(), cluster.secret(), method(), path());
            final PrintWriter out = spec.commandLine().getOut();
            out.print(answer);
            out.flush();
            return ExitCodes.OK;
        }

        static String enc(final String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }

    /** {@code cluster leave NODE}. */
    @Command(name = "leave", mixinStandardHelpOptions = true,
        description = "Stages NODE's leave: once committed, it streams its partitions to their new replicas, then gossips LEFT.")
    static final class Leave extends Admin {
        @Parameters(paramLabel = "NODE", description = "The running member that leaves.")
        String node;

        @Override
        String method() {
            return "POST";
        }

        @Override
        String path() {
            return "/cluster/stage?op=leave&node=" + enc(node);
        }
    }

    /** {@code cluster remove NODE}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Stages NODE's removal, for a node gone for good: its partitions get new owners, rebuilt from the other replicas.")
    static final class Remove extends Admin {
        @Parameters(paramLabel = "NODE", description = "The member removed.")
        String node;

        @Override
        String method() {
            return "POST";
        }

        @Override
        String path() {
            return "/cluster/stage?op=remove&node=" + enc(node);
        }
    }

    /** {@code cluster replace DEAD NEW}. */
    @Command(name = "replace", mixinStandardHelpOptions = true,
        description = {"Stages NEW taking DEAD's place: exactly DEAD's partitions move, to NEW, rebuilt from the other replicas.",
            "Commit first, then start NEW with --seeds: it finds itself in the ring and pulls its partitions."})
    static final class Replace extends Admin {
        @Parameters(index = "0", paramLabel = "DEAD", description = "The member replaced.")
        String dead;

        @Parameters(index = "1", paramLabel = "NEW", description = "The id of the node that takes its place (not a member).")
        String replacement;

        @Override
        String method() {
            return "POST";
        }

        @Override
        String path() {
            return "/cluster/stage?op=replace&node=" + enc(dead) + "&by=" + enc(replacement);
        }
    }

    /** {@code cluster plan}. */
    @Command(name = "plan", mixinStandardHelpOptions = true, description = "Prints the staged changes and the partition moves they make.")
    static final class Plan extends Admin {
        @Override
        String method() {
            return "GET";
        }

        @Override
        String path() {
            return "/cluster/plan";
        }
    }

    /** {@code cluster commit}. */
    @Command(name = "commit", mixinStandardHelpOptions = true, description = "Makes the staged changes, in order, through the claimant.")
    static final class Commit extends Admin {
        @Override
        String method() {
            return "POST";
        }

        @Override
        String path() {
            return "/cluster/commit";
        }
    }

    /** {@code cluster clear}. */
    @Command(name = "clear", mixinStandardHelpOptions = true, description = "Drops the staged changes.")
    static final class Clear extends Admin {
        @Override
        String method() {
            return "POST";
        }

        @Override
        String path() {
            return "/cluster/clear";
        }
    }
}
