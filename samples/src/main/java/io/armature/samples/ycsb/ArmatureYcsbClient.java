package io.armature.samples.ycsb;

import io.armature.api.BlockingKvClient;
import io.armature.api.ClusterUnavailableException;
import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.api.ReadResult;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Vector;

/**
 * A YCSB binding for Armature ({@code -db io.armature.samples.ycsb.ArmatureYcsbClient}).
 *
 * <p>Properties: {@code armature.cluster=HOST:PORT[,...]} to measure a running cluster, or
 * {@code armature.embedded=S} to start an S-node cluster in YCSB's JVM (with
 * {@code armature.storage}, default {@code memory}, and {@code armature.transport}, default
 * {@code local}); {@code armature.r} and {@code armature.w} override the quorums;
 * {@code armature.secret-file} names the cluster secret of a running cluster.
 *
 * <p>A record is one value ({@link FieldsCodec}) under the key {@code table NUL key}. Insert is
 * a blind write; update and delete read first and write with the read's context, so they
 * supersede what they read instead of piling up siblings. Scan is not supported: keys are
 * placed by hash, so there is no order to scan.
 *
 * <p>YCSB creates one instance per client thread; they share one connection (or embedded
 * cluster), closed when the last instance is cleaned up.
 */
public final class ArmatureYcsbClient extends DB {
    private static final FieldsCodec CODEC = new FieldsCodec();

    private SharedConnection.Lease lease;
    private BlockingKvClient kv;

    @Override
    public void init() throws DBException {
        try {
            lease = SharedConnection.acquire(getProperties());
            kv = lease.client().blocking();
        } catch (final RuntimeException e) {
            throw new DBException("armature: " + e.getMessage(), e);
        }
    }

    @Override
    public void cleanup() throws DBException {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    @Override
    public Status read(final String table, final String key, final Set<String> fields, final Map<String, ByteIterator> result) {
        try {
            final ReadResult<byte[]> r = kv.get(key(table, key), lease.consistency());
            if (r.isEmpty()) {
                return Status.NOT_FOUND;
            }
            for (final Map.Entry<String, byte[]> e : merged(r).entrySet()) {
                if (fields == null || fields.contains(e.getKey())) {
                    result.put(e.getKey(), new ByteArrayByteIterator(e.getValue()));
                }
            }
            return Status.OK;
        } catch (final RuntimeException e) {
            return status(e);
        }
    }

    @Override
    public Status scan(final String table, final String startkey, final int recordcount, final Set<String> fields,
                       final Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(final String table, final String key, final Map<String, ByteIterator> values) {
        try {
            final byte[] k = key(table, key);
            final ReadResult<byte[]> r = kv.get(k, lease.consistency());
            final SortedMap<String, byte[]> record = merged(r);
            record.putAll(bytes(values));
            kv.put(k, CODEC.encode(record), r.context(), lease.consistency());
            return Status.OK;
        } catch (final RuntimeException e) {
            return status(e);
        }
    }

    @Override
    public Status insert(final String table, final String key, final Map<String, ByteIterator> values) {
        try {
            kv.put(key(table, key), CODEC.encode(bytes(values)), Context.empty(), lease.consistency());
            return Status.OK;
        } catch (final RuntimeException e) {
            return status(e);
        }
    }

    @Override
    public Status delete(final String table, final String key) {
        try {
            final byte[] k = key(table, key);
            final ReadResult<byte[]> r = kv.get(k, lease.consistency());
            if (r.isEmpty()) {
                return Status.NOT_FOUND;
            }
            kv.delete(k, r.context(), lease.consistency());
            return Status.OK;
        } catch (final RuntimeException e) {
            return status(e);
        }
    }

    /**
     * @param table a YCSB table
     * @param key a YCSB key
     * @return the Armature key: table, a NUL byte, key (unambiguous, since a table name has no NUL)
     */
    static byte[] key(final String table, final String key) {
        if (table.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("table name must not contain NUL");
        }
        return (table + '\0' + key).getBytes(StandardCharsets.UTF_8);
    }

    private static SortedMap<String, byte[]> merged(final ReadResult<byte[]> r) {
        final List<SortedMap<String, byte[]>> siblings = new ArrayList<>();
        for (final byte[] v : r.values()) {
            siblings.add(CODEC.decode(v));
        }
        return FieldsCodec.merge(siblings);
    }

    private static SortedMap<String, byte[]> bytes(final Map<String, ByteIterator> values) {
        final SortedMap<String, byte[]> out = new TreeMap<>();
        for (final Map.Entry<String, ByteIterator> e : values.entrySet()) {
            out.put(e.getKey(), e.getValue().toArray());
        }
        return out;
    }

    private static Status status(final RuntimeException e) {
        if (e instanceof ClusterUnavailableException) {
            return Status.SERVICE_UNAVAILABLE;
        }
        if (e instanceof InvalidRequestException || e instanceof IllegalArgumentException) {
            return Status.BAD_REQUEST;
        }
        return Status.ERROR;
    }
}
