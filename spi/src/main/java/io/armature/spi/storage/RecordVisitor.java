package io.armature.spi.storage;

/**
 * Receives the records of a scan, in ascending unsigned byte order of their keys.
 */
@FunctionalInterface
public interface RecordVisitor {
    /**
     * @param key the record's key; the visitor owns this array
     * @param value the record's value; the visitor owns this array
     * @return true to continue the scan, false to stop it
     */
    boolean visit(byte[] key, byte[] value);
}
