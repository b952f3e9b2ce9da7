/**
 * The transport plugin contract: a {@link io.armature.spi.transport.TransportProvider} creates
 * a {@link io.armature.spi.transport.Transport} per node (or client). Plugin authors prove a
 * transport with {@code io.armature.testkit.transport.TransportContract} from
 * {@code armature-testkit}.
 */
package io.armature.spi.transport;
