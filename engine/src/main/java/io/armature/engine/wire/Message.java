package io.armature.engine.wire;

import java.util.List;

/**
 * The body of a frame. Byte arrays are owned by the message once decoded or handed to the
 * encoder; nobody mutates them afterwards.
 */
public sealed interface Message {
    /**
     * @return the type that carries this body
     */
    MessageType type();

    /** Write operation of a {@link ClientWrite}. */
    enum WriteOp {
        /** Store a value. */
        PUT,
        /** Store a tombstone. */
        DELETE
    }

    /** Outcome of a {@link ClientReply}; the error kinds map to the api exceptions. */
    enum Status {
        /** Success: values and context follow. */
        OK,
        /** {@code InvalidRequestException}. */
        INVALID_REQUEST,
        /** {@code QuorumNotReachedException}: operation, required and achieved follow. */
        QUORUM_NOT_REACHED,
        /** {@code RequestTimeoutException}. */
        TIMEOUT,
        /** {@code ClusterUnavailableException}. */
        UNAVAILABLE,
        /** Any other failure at the node. */
        INTERNAL
    }

    /**
     * @param partition the ring partition the coordinator placed the key in
     * @param key the key
     */
    record ReplicaGet(int partition, byte[] key) implements Message {
        @Override
        public MessageType type() {
            return MessageType.REPLICA_GET;
        }
    }

    /**
     * @param ok false if the replica failed to read (counts as no answer)
     * @param versionSet the encoded version set, or null if the replica holds none
     */
    record ReplicaGetReply(boolean ok, byte[] versionSet) implements Message {
        @Override
        public MessageType type() {
            return MessageType.REPLICA_GET_REPLY;
        }
    }

    /**
     * @param partition the ring partition of the key
     * @param key the key
     * @param versionSet the encoded version set to merge into the replica's
     * @param hintOwner the node this copy is meant for, when the receiver is a stand-in; null otherwise
     */
    record ReplicaPut(int partition, byte[] key, byte[] versionSet, String hintOwner) implements Message {
        @Override
        public MessageType type() {
            return MessageType.REPLICA_PUT;
        }
    }

    /**
     * @param ok true if the replica stored the version set
     * @param tooLarge with {@code ok} false: refused because the merged set would exceed the
     *     replica's {@code store.max-object-size} (a stand-in could not deliver it either)
     */
    record ReplicaPutReply(boolean ok, boolean tooLarge) implements Message {
        /**
         * @param ok true if the replica stored the version set
         */
        public ReplicaPutReply(final boolean ok) {
            this(ok, false);
        }

        /** Only a refusal can be for size. */
        public ReplicaPutReply {
            if (ok && tooLarge) {
                throw new IllegalArgumentException("a stored write is not too large");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.REPLICA_PUT_REPLY;
        }
    }

    /**
     * @param key the key
     * @param r replies to wait for, 0 for the store's R
     * @param timeoutMillis the deadline, 0 for the store's timeout
     */
    record ClientGet(byte[] key, int r, long timeoutMillis) implements Message {
        @Override
        public MessageType type() {
            return MessageType.CLIENT_GET;
        }
    }

    /**
     * @param forwarded true when sent as {@link MessageType#FORWARD_WRITE}: the receiver coordinates it
     * @param op put or delete
     * @param key the key
     * @param value the value (empty for a delete)
     * @param context the api context bytes ({@code Context.toBytes()})
     * @param w acknowledgements to wait for, 0 for the store's W
     * @param timeoutMillis the deadline, 0 for the store's timeout
     */
    record ClientWrite(boolean forwarded, WriteOp op, byte[] key, byte[] value, byte[] context, int w, long timeoutMillis)
        implements Message {
        @Override
        public MessageType type() {
            return forwarded ? MessageType.FORWARD_WRITE : MessageType.CLIENT_WRITE;
        }
    }

    /**
     * @param status the outcome
     * @param values the live values (OK only)
     * @param context the api context bytes (OK only; empty otherwise)
     * @param operation the operation, for errors
     * @param required replies required, for {@link Status#QUORUM_NOT_REACHED}
     * @param achieved replies achieved, for {@link Status#QUORUM_NOT_REACHED}
     * @param message the error message, for errors
     */
    record ClientReply(Status status, List<byte[]> values, byte[] context, String operation, int required, int achieved,
                       String message) implements Message {
        @Override
        public MessageType type() {
            return MessageType.CLIENT_REPLY;
        }
    }

    /**
     * The body of a reserved type, for the subsystem that owns it.
     *
     * @param reservedType the type
     * @param body the body bytes
     */
    record Opaque(MessageType reservedType, byte[] body) implements Message {
        @Override
        public MessageType type() {
            return reservedType;
        }
    }
}
