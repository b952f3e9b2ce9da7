package io.armature.samples.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StatusTextTest {
    @Test
    void roundTripsIdsAddressesAndTagsWithAwkwardCharacters() {
        final ClusterStatus s = new ClusterStatus("n 1", 7, 16, List.of(
            new ClusterStatus.Member("n 1", "[::1]:7001", "up", List.of(0, 1, 2)),
            new ClusterStatus.Member("n2", "?", "suspected", List.of())),
            Map.of("n 1", List.of(new ClusterStatus.MeterSample("armature.requests", Map.of("op", "a=b&c d"), "count", 2.5))));
        assertEquals(s, StatusText.parse(StatusText.format(s)));
    }

    @Test
    void roundTripsMemberDetailsLoadsAndHints() {
        final ClusterStatus s = new ClusterStatus("n 1", 7, 16, List.of(
            new ClusterStatus.Member("n 1", "[::1]:7001", "leaving", List.of(0, 1, 2), 7, 9, true, "eu-1 a&b"),
            new ClusterStatus.Member("n2", "?", "left", List.of(), 6, 0, false)), Map.of(),
            Map.of("n 1", new ClusterStatus.Load(7, false, 2, 3, 4, Map.of("n2", 5L, "n&3", 1L), 100, 4096, 8, 9)));
        assertEquals(s, StatusText.parse(StatusText.format(s)));
    }

    @Test
    void rejectsWhatIsNotAStatusAnswer() {
        assertThrows(IllegalArgumentException.class, () -> StatusText.parse("<html>hello</html>"));
        assertThrows(IllegalArgumentException.class, () -> StatusText.parse(StatusText.HEADER + "\nring x 1\n"));
    }

    @Test
    void skipsLinesOfALaterVersion() {
        final ClusterStatus s = StatusText.parse(StatusText.HEADER + "\nreported-by a\nring 1 8\nzone a eu-1\n");
        assertEquals("a", s.reportedBy());
        assertEquals(8, s.partitions());
    }
}
