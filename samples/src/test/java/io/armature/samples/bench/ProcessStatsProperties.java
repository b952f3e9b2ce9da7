package io.armature.samples.bench;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessStatsProperties {
    @Property
    void utimePlusStimeIsReadWhateverTheCommandNameHolds(@ForAll @StringLength(max = 30) final String name,
                                                        @ForAll @LongRange(max = 1L << 40) final long utime,
                                                        @ForAll @LongRange(max = 1L << 40) final long stime) {
        final String stat = "4242 (" + name + ") S 1 4242 4242 0 -1 4194560 6040 0 0 0 " + utime + " " + stime
            + " 0 0 20 0 30 0 1234 5678 9 18446744073709551615\n";
        assertEquals(OptionalLong.of(utime + stime), ProcessStats.parseStatTicks(stat));
    }

    @Property
    void arbitraryTextIsNeverAnError(@ForAll final String text) {
        final OptionalLong t = ProcessStats.parseStatTicks(text);
        assertTrue(t.isEmpty() || t.getAsLong() >= 0, String.valueOf(t));
        ProcessStats.parseRss(text);
    }

    @Test
    void thisProcessHasCpuTimeAndMemoryOnLinuxAndAGoneOneHasNeither() {
        if (!System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return;
        }
        assertTrue(ProcessStats.selfCpuTicks().isPresent());
        assertTrue(ProcessStats.rssBytes(ProcessHandle.current().pid()).orElse(0) > 1 << 20);
        assertTrue(ProcessStats.cpuTicks(Long.MAX_VALUE).isEmpty());
        assertTrue(ProcessStats.rssBytes(Long.MAX_VALUE).isEmpty());
    }

    @Test
    void rssIsReadInKibibytes() {
        assertEquals(OptionalLong.of(123 * 1024L), ProcessStats.parseRss("Name:\tjava\nVmRSS:\t     123 kB\nThreads: 4\n"));
    }
}
