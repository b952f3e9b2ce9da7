package io.armature.samples.bench;

import java.util.random.RandomGenerator;

/**
 * Zipfian ranks in {@code [0, n)} by the method of Gray et al., "Quickly Generating
 * Billion-Record Synthetic Databases" (SIGMOD 1994), as YCSB's ZipfianGenerator: rank 0 is the
 * most popular. Computing zeta(n) is O(n) once; drawing is O(1). Immutable and thread-safe.
 */
final class Zipfian {
    /** YCSB's default skew. */
    static final double YCSB_CONSTANT = 0.99;

    private final long n;
    private final double theta;
    private final double zetan;
    private final double alpha;
    private final double eta;

    Zipfian(final long n, final double theta) {
        if (n < 1) {
            throw new IllegalArgumentException("zipfian item count must be at least 1, was " + n);
        }
        this.n = n;
        this.theta = theta;
        this.zetan = zeta(n, theta);
        this.alpha = 1.0 / (1.0 - theta);
        final double zeta2 = zeta(Math.min(2, n), theta);
        this.eta = n < 2 ? 0 : (1 - Math.pow(2.0 / n, 1 - theta)) / (1 - zeta2 / zetan);
    }

    long next(final RandomGenerator random) {
        final double u = random.nextDouble();
        final double uz = u * zetan;
        if (uz < 1.0 || n == 1) {
            return 0;
        }
        if (uz < 1.0 + Math.pow(0.5, theta)) {
            return 1;
        }
        final long rank = (long) (n * Math.pow(eta * u - eta + 1, alpha));
        return Math.min(rank, n - 1);
    }

    private static double zeta(final long n, final double theta) {
        double sum = 0;
        for (long i = 1; i <= n; i++) {
            sum += 1 / Math.pow(i, theta);
        }
        return sum;
    }
}
