package io.armature.testkit.sim.check;

/**
 * The eventual-consistency guarantees of the design (docs/design.md, "The guarantees the testkit
 * checks"), in its order, and liveness, which keeps the seven from holding vacuously.
 */
public enum Guarantee {
    /** 1. After faults heal and repair runs to quiescence, every replica of a key holds the same version set. */
    CONVERGENCE("1 convergence"),
    /** 2. Every acknowledged write is among the siblings or superseded by a write whose context covered it. */
    NO_LOST_WRITE("2 no acknowledged write lost"),
    /** 3. Concurrent writes both survive as siblings until a write whose context covers both. */
    NO_SILENT_OVERWRITE("3 no silent overwrite"),
    /** 4. A value a write's context covered never comes back as a sibling of that write's value. */
    NO_FALSE_CONFLICT("4 no false conflict"),
    /** 5. With R + W &gt; N and no sloppy substitution, a client reads its own acknowledged writes. */
    READ_YOUR_WRITES("5 read-your-writes"),
    /** 6. Siblings are truly concurrent distinct writes; a clock has at most one entry per coordinating actor. */
    BOUNDED_SIBLINGS("6 bounded siblings"),
    /** 7. A value an acknowledged delete covered is not live after convergence. */
    NO_RESURRECTION("7 deletes never resurrect"),
    /**
     * The testkit's own, beyond the design's seven: in a run without any fault, every operation
     * completes and is acknowledged (an engine that times everything out keeps 1-7 vacuously).
     */
    LIVENESS("liveness: a fault-free run completes every operation");

    private final String title;

    Guarantee(final String title) {
        this.title = title;
    }

    /**
     * @return the design's number and name of the guarantee
     */
    public String title() {
        return title;
    }
}
