package io.armature.samples.cli;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs the requests to a node's status and admin endpoint when the cluster has a secret: the
 * client sends {@value #TIME} (its clock, epoch milliseconds) and {@value #SIGNATURE}, the hex
 * HMAC-SHA256 under the cluster secret of {@code METHOD SP PATH[?QUERY] SP TIME}. The node
 * accepts a signature only within {@link #MAX_SKEW_MILLIS} of its own clock, so a captured
 * request can be replayed only for that long (an admin request is idempotent: a replayed leave
 * changes nothing more). The secret never crosses the network. {@code /health} and
 * {@code /ready} stay open, for load balancers and orchestrators.
 */
final class StatusAuth {
    /** The request header with the client's time. */
    static final String TIME = "X-Armature-Time";
    /** The request header with the signature. */
    static final String SIGNATURE = "X-Armature-Signature";
    /** How far apart the client's and the node's clocks may be. */
    static final long MAX_SKEW_MILLIS = 5 * 60_000L;

    private StatusAuth() {
    }

    /**
     * @param secret the cluster secret
     * @param method the HTTP method
     * @param pathAndQuery the request's path, with its query if any
     * @param timeMillis the client's time
     * @return the signature, lower-case hex
     */
    static String sign(final byte[] secret, final String method, final String pathAndQuery, final long timeMillis) {
        try {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((method + " " + pathAndQuery + " " + timeMillis).getBytes(StandardCharsets.UTF_8)));
        } catch (final GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * @param secret the cluster secret
     * @param method the HTTP method
     * @param pathAndQuery the request's path and query
     * @param time the {@value #TIME} header, or null
     * @param signature the {@value #SIGNATURE} header, or null
     * @param nowMillis the node's clock
     * @return null if the request is signed and fresh, else why not
     */
    static String check(final byte[] secret, final String method, final String pathAndQuery, final String time, final String signature,
                        final long nowMillis) {
        if (time == null || signature == null) {
            return "the cluster has a secret: sign the request (armature status --secret-file)";
        }
        final long t;
        try {
            t = Long.parseLong(time);
        } catch (final NumberFormatException e) {
            return TIME + " is not a number";
        }
        if (Math.abs(nowMillis - t) > MAX_SKEW_MILLIS) {
            return "the request's time is more than " + MAX_SKEW_MILLIS / 60_000 + " minutes from the node's clock";
        }
        final byte[] expected = sign(secret, method, pathAndQuery, t).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII)) ? null : "bad signature";
    }
}
