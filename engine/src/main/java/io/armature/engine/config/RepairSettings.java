package io.armature.engine.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Periods and rate limits of the background repair (docs/repair.md): hinted handoff and
 * anti-entropy. Rates are bytes per second through a token bucket whose capacity is the burst, so
 * repair never starves foreground requests.
 *
 * @param hintPeriod how often a node looks for owners to hand hints back to
 * @param hintBytesPerSecond hint delivery rate
 * @param hintBurstBytes largest hint burst (and largest single hint delivery counted in full)
 * @param hintWindow most hint deliveries awaiting an acknowledgement
 * @param antiEntropyPeriod how often a node starts an anti-entropy exchange; zero disables it
 * @param antiEntropyBytesPerSecond anti-entropy rate
 * @param antiEntropyBurstBytes largest anti-entropy burst
 * @param tombstoneGrace how long a tombstone acknowledged by every replica is kept before it may be purged
 * @param gossipPeriod how often a node gossips its membership view (and so the phi detector's heartbeat period)
 */
public record RepairSettings(Duration hintPeriod, long hintBytesPerSecond, long hintBurstBytes, int hintWindow,
                             Duration antiEntropyPeriod, long antiEntropyBytesPerSecond, long antiEntropyBurstBytes,
                             Duration tombstoneGrace, Duration gossipPeriod) {
    private static final RepairSettings DEFAULTS = new RepairSettings(Duration.ofSeconds(1), 1 << 20, 256 << 10, 64,
        Duration.ofSeconds(10), 1 << 20, 256 << 10, Duration.ofDays(10), Duration.ofSeconds(1));

    /** Validates the settings. */
    public RepairSettings {
        Objects.requireNonNull(hintPeriod, "repair.hint-period");
        Objects.requireNonNull(antiEntropyPeriod, "repair.anti-entropy-period");
        Objects.requireNonNull(tombstoneGrace, "repair.tombstone-grace");
        Objects.requireNonNull(gossipPeriod, "repair.gossip-period");
        if (gossipPeriod.toMillis() < 1 || gossipPeriod.toMinutes() > 10) {
            throw new IllegalArgumentException("repair.gossip-period must be in 1 ms..10 min, was " + gossipPeriod);
        }
        if (hintPeriod.isNegative() || hintPeriod.isZero()) {
            throw new IllegalArgumentException("repair.hint-period must be positive, was " + hintPeriod);
        }
        if (antiEntropyPeriod.isNegative()) {
            throw new IllegalArgumentException("repair.anti-entropy-period must not be negative, was " + antiEntropyPeriod);
        }
        if (tombstoneGrace.isNegative()) {
            throw new IllegalArgumentException("repair.tombstone-grace must not be negative, was " + tombstoneGrace);
        }
        check("repair.hint-bytes-per-second", hintBytesPerSecond);
        check("repair.hint-burst-bytes", hintBurstBytes);
        check("repair.anti-entropy-bytes-per-second", antiEntropyBytesPerSecond);
        check("repair.anti-entropy-burst-bytes", antiEntropyBurstBytes);
        if (hintWindow < 1 || hintWindow > 4096) {
            throw new IllegalArgumentException("repair.hint-window must be in 1..4096, was " + hintWindow);
        }
    }

    private static void check(final String name, final long v) {
        if (v < 1 || v > 1_000_000_000L) {
            throw new IllegalArgumentException(name + " must be in 1..1000000000, was " + v);
        }
    }

    /** @return 1 s hint period at 1 MiB/s (burst 256 KiB, 64 in flight), anti-entropy every 10 s at 1 MiB/s, 10 days' grace, gossip every 1 s */
    public static RepairSettings defaults() {
        return DEFAULTS;
    }

    /**
     * @param period the hint period
     * @return a copy with that hint period
     */
    public RepairSettings withHintPeriod(final Duration period) {
        return new RepairSettings(period, hintBytesPerSecond, hintBurstBytes, hintWindow, antiEntropyPeriod,
            antiEntropyBytesPerSecond, antiEntropyBurstBytes, tombstoneGrace, gossipPeriod);
    }

    /**
     * @param bytesPerSecond the rate
     * @param burstBytes the burst
     * @return a copy with that hint delivery rate
     */
    public RepairSettings withHintRate(final long bytesPerSecond, final long burstBytes) {
        return new RepairSettings(hintPeriod, bytesPerSecond, burstBytes, hintWindow, antiEntropyPeriod,
            antiEntropyBytesPerSecond, antiEntropyBurstBytes, tombstoneGrace, gossipPeriod);
    }

    /**
     * @param period the anti-entropy period, zero for none
     * @return a copy with that anti-entropy period
     */
    public RepairSettings withAntiEntropyPeriod(final Duration period) {
        return new RepairSettings(hintPeriod, hintBytesPerSecond, hintBurstBytes, hintWindow, period,
            antiEntropyBytesPerSecond, antiEntropyBurstBytes, tombstoneGrace, gossipPeriod);
    }

    /**
     * @param bytesPerSecond the rate
     * @param burstBytes the burst
     * @return a copy with that anti-entropy rate
     */
    public RepairSettings withAntiEntropyRate(final long bytesPerSecond, final long burstBytes) {
        return new RepairSettings(hintPeriod, hintBytesPerSecond, hintBurstBytes, hintWindow, antiEntropyPeriod,
            bytesPerSecond, burstBytes, tombstoneGrace, gossipPeriod);
    }

    /**
     * @param period the gossip period
     * @return a copy with that gossip period
     */
    public RepairSettings withGossipPeriod(final Duration period) {
        return new RepairSettings(hintPeriod, hintBytesPerSecond, hintBurstBytes, hintWindow, antiEntropyPeriod,
            antiEntropyBytesPerSecond, antiEntropyBurstBytes, tombstoneGrace, period);
    }

    /**
     * @param grace the tombstone grace
     * @return a copy with that grace
     */
    public RepairSettings withTombstoneGrace(final Duration grace) {
        return new RepairSettings(hintPeriod, hintBytesPerSecond, hintBurstBytes, hintWindow, antiEntropyPeriod,
            antiEntropyBytesPerSecond, antiEntropyBurstBytes, grace, gossipPeriod);
    }
}
