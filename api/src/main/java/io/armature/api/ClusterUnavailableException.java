package io.armature.api;

/**
 * The client could reach no node of the cluster (none of its seeds answered), or the client has
 * been closed.
 */
public class ClusterUnavailableException extends ArmatureException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which nodes were tried
     */
    public ClusterUnavailableException(final String message) {
        super(message);
    }
}
