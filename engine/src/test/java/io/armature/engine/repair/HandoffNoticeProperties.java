package io.armature.engine.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class HandoffNoticeProperties {
    @Property(tries = 1000)
    void encodingRoundTrips(@ForAll @LongRange(min = 1) final long epoch,
                            @ForAll @Size(max = 200) final int[] raw) {
        final int[] partitions = Arrays.stream(raw).map(p -> p & 0xFFFF).distinct().sorted().toArray();
        final HandoffNotice notice = new HandoffNotice(epoch, partitions);
        assertEquals(notice, HandoffNotice.decode(notice.encode()));
    }

    @Property(tries = 1000)
    void arbitraryBytesDecodeOrFailWithACodecException(@ForAll @Size(max = 64) final byte[] bytes) {
        try {
            final HandoffNotice n = HandoffNotice.decode(bytes);
            assertEquals(bytes.length, n.encode().length, "a decoded body re-encodes to its own size");
        } catch (final RepairCodecException e) {
            assertEquals(RepairCodecException.class, e.getClass());
        }
    }

    @Property(tries = 1000)
    void aTruncatedOrExtendedBodyIsRejected(@ForAll @IntRange(min = 1, max = 20) final int count,
                                            @ForAll @IntRange(min = 1, max = 5) final int cut) {
        final int[] partitions = new int[count];
        for (int i = 0; i < count; i++) {
            partitions[i] = i * 3;
        }
        final byte[] body = new HandoffNotice(7, partitions).encode();
        assertThrows(RepairCodecException.class, () -> HandoffNotice.decode(Arrays.copyOf(body, body.length - cut)));
        assertThrows(RepairCodecException.class, () -> HandoffNotice.decode(Arrays.copyOf(body, body.length + cut)));
    }
}
