package io.armature.spi.transport;

/**
 * What a transport reports of itself for an operator's gauges ({@link Transport#stats()}): what only
 * the transport sees. (Every send's {@link SendStatus} reaches the engine, which counts failures by
 * reason itself.)
 *
 * @param backPressureEvents sends since the transport was created that found the link full at least
 *     once, whether they were sent after the bounded wait or dropped as {@link SendStatus#BACK_PRESSURED};
 *     or {@link #UNKNOWN}
 */
public record TransportStats(long backPressureEvents) {
    /** A figure the transport does not measure. */
    public static final long UNKNOWN = -1;

    /** Nothing measured: the default of {@link Transport#stats()}. */
    public static final TransportStats NONE = new TransportStats(UNKNOWN);

    /**
     * Validates the figure.
     */
    public TransportStats {
        if (backPressureEvents < UNKNOWN) {
            throw new IllegalArgumentException("back pressure events are at least 0, or UNKNOWN (-1): " + backPressureEvents);
        }
    }
}
