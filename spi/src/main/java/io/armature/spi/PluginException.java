package io.armature.spi;

/**
 * A plugin could not be found, was found twice, or failed to start. The message names the
 * plugin and what was found instead.
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong and what was found
     */
    public PluginException(final String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause the failure
     */
    public PluginException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
