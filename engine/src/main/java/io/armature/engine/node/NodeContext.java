package io.armature.engine.node;

import io.armature.engine.config.NodeConfig;
import io.armature.engine.membership.FailureDetector;
import io.armature.engine.membership.Membership;
import io.micrometer.core.instrument.MeterRegistry;
import io.armature.spi.runtime.Clock;
import io.armature.spi.runtime.Scheduler;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.transport.Transport;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Everything a {@link Node} runs on. Production wiring passes the system clock, a
 * {@link io.armature.engine.runtime.NodeRuntime} and a real transport; the simulator passes
 * virtual ones, so the same logic runs in both.
 *
 * @param config the node's configuration
 * @param storage its storage (owned by the caller: the node never closes it)
 * @param transport its transport (closed by {@link Node#stop()})
 * @param clock its clock
 * @param scheduler its event loop: every piece of the node's logic runs there
 * @param random its seeded random source
 * @param meters where its meters go
 * @param membership the ring and the members' endpoints
 * @param failureDetector which peers to skip, or null for a {@link io.armature.engine.membership.PhiAccrualFailureDetector} fed by gossip
 */
public record NodeContext(NodeConfig config, StorageEngine storage, Transport transport, Clock clock, Scheduler scheduler,
                          RandomGenerator random, MeterRegistry meters, Membership membership,
                          FailureDetector failureDetector) {
    /**
     * Checks that every required part is present.
     */
    public NodeContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(membership, "membership");
    }
}
