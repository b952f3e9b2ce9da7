package io.armature.samples.cli;

import io.armature.api.ClusterUnavailableException;
import io.armature.api.InvalidRequestException;
import io.armature.api.QuorumNotReachedException;
import io.armature.api.RequestTimeoutException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The exit codes of the {@code armature} command; scripts rely on them, so they never change.
 */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** Anything not covered below (a bug, an I/O error); the message says what. */
    public static final int FAILURE = 1;
    /** Bad command line or a request the cluster rejected as invalid. */
    public static final int USAGE = 2;
    /** Fewer replicas than R or W answered before the deadline. */
    public static final int QUORUM_NOT_REACHED = 3;
    /** No node of the cluster answered. */
    public static final int UNREACHABLE = 4;
    /** {@code status}: the cluster answered, and is unhealthy (a member down, members holding different rings). */
    public static final int UNHEALTHY = 5;
    /** {@code armature bench}: the run finished but at least one operation failed, so its figures do not stand. */
    public static final int OPERATIONS_FAILED = 6;
    /** {@code get}: the key has no value (never written, or deleted); the context is still printed. */
    public static final int NOT_FOUND = 7;

    private ExitCodes() {
    }

    /**
     * @param error what a command failed with
     * @return its exit code
     */
    public static int of(final Throwable error) {
        final Throwable e = unwrap(error);
        if (e instanceof QuorumNotReachedException) {
            return QUORUM_NOT_REACHED;
        }
        if (e instanceof ClusterUnavailableException || e instanceof RequestTimeoutException) {
            return UNREACHABLE;
        }
        if (e instanceof InvalidRequestException) {
            return USAGE;
        }
        return FAILURE;
    }

    /**
     * @param error a failure, possibly wrapped by a future
     * @return the failure itself
     */
    public static Throwable unwrap(final Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
