package io.armature.api;

/**
 * Fewer replicas than required answered before the request's deadline.
 *
 * <p>For a write this does <em>not</em> mean the write failed everywhere: {@link #achieved()}
 * replicas (possibly more, later) stored it, and it may yet spread by repair. A client that must
 * know should read the key again.
 */
public class QuorumNotReachedException extends ArmatureException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int required;
    private final int achieved;

    /**
     * @param operation the operation, for example {@code "put"}
     * @param required replies required (R for reads, W for writes)
     * @param achieved replies received before the deadline
     */
    public QuorumNotReachedException(final String operation, final int required, final int achieved) {
        super(operation + ": quorum not reached: " + required + " required, " + achieved + " achieved");
        this.operation = operation;
        this.required = required;
        this.achieved = achieved;
    }

    /**
     * @return the operation that failed, for example {@code "get"}
     */
    public String operation() {
        return operation;
    }

    /**
     * @return the number of replies required: R for a read, W for a write
     */
    public int required() {
        return required;
    }

    /**
     * @return the number of replies that arrived before the deadline
     */
    public int achieved() {
        return achieved;
    }
}
