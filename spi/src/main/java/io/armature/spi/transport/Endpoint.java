package io.armature.spi.transport;

import java.util.Objects;

/**
 * Where a transport listens: a host and a port. For the in-JVM {@code local} transport the host
 * is just a name. Immutable value; its text form is {@code host:port}.
 *
 * @param host host name or IP address, not empty
 * @param port port, {@code 0..65535}; 0 asks {@link Transport#bind} for any free port
 */
public record Endpoint(String host, int port) {
    /**
     * Validates the parts.
     *
     * @param host host name or address
     * @param port port
     */
    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("endpoint host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("endpoint port must be in 0..65535, was " + port);
        }
    }

    /**
     * @param text {@code host:port}; an IPv6 host is written in brackets, {@code [::1]:7000}
     * @return the endpoint
     * @throws IllegalArgumentException naming the text if it is not {@code host:port}
     */
    public static Endpoint parse(final String text) {
        final String t = text == null ? "" : text.trim();
        final int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new IllegalArgumentException("endpoint '" + text + "' is not HOST:PORT");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        final int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException("endpoint '" + text + "' has a port that is not a number");
        }
        return new Endpoint(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
