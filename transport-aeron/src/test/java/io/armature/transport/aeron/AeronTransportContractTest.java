package io.armature.transport.aeron;

import io.armature.spi.transport.Transport;
import io.armature.spi.transport.TransportConfig;
import io.armature.testkit.transport.TransportContract;

/** The transport kit run against the Aeron transport over UDP loopback. */
class AeronTransportContractTest extends TransportContract {
    @Override
    protected Transport createTransport(final TransportConfig config) {
        return new AeronTransportProvider().create(config);
    }
}
