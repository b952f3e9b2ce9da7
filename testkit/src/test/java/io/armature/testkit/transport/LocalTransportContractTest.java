package io.armature.testkit.transport;

import io.armature.engine.transport.local.LocalTransportProvider;
import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;

/** The transport kit run against the built-in local transport. */
class LocalTransportContractTest extends TransportContract {
    @Override
    protected Transport createTransport(final TransportConfig config) {
        return new LocalTransportProvider().create(config);
    }
}
