package io.armature.testkit.sim.schedule;

/**
 * What a client does in one step of an {@link OpSchedule}.
 */
public enum StepKind {
    /** Read the key (and keep its context). */
    GET("get"),
    /** Write a new value with the context of the client's last result for the key. */
    PUT("put"),
    /** Write a new value with an empty context (a blind write). */
    PUT_BLIND("blind"),
    /** Delete with the context of the client's last result for the key. */
    DELETE("del");

    private final String token;

    StepKind(final String token) {
        this.token = token;
    }

    /**
     * @return the short name used in schedules' text form
     */
    public String token() {
        return token;
    }

    /**
     * @param token a short name
     * @return the kind
     * @throws IllegalArgumentException for an unknown name
     */
    public static StepKind ofToken(final String token) {
        for (final StepKind k : values()) {
            if (k.token.equals(token)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown step kind '" + token + "'; known: get, put, blind, del");
    }
}
