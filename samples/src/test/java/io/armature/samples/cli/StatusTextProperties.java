package io.armature.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What a status endpoint answers comes from the network: any text parses to a status or fails with IllegalArgumentException. */
class StatusTextProperties {
    @Provide
    Arbitrary<String> lines() {
        final Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.of("member", "member-detail", "member-zone", "load", "hints", "meter", "ring",
            "reported-by", "n1", "-", "1", "x=1&y", "ring-epoch=2&ready=1", "=", "&", "%zz", "9999999999999999999"),
            Arbitraries.strings().ofMaxLength(8));
        final Arbitrary<String> line = word.list().ofMaxSize(6).map(ws -> String.join(" ", ws));
        return line.list().ofMaxSize(8).map(ls -> StatusText.HEADER + "\n" + String.join("\n", ls));
    }

    @Property(tries = 2000)
    void anyAnswerParsesOrFailsWithAnIllegalArgument(@ForAll("lines") final String text) {
        try {
            final ClusterStatus s = StatusText.parse(text);
            assertEquals(s, StatusText.parse(StatusText.format(s)), "whatever parses survives a round trip");
        } catch (final IllegalArgumentException expected) {
            assertEquals(IllegalArgumentException.class, expected.getClass());
        }
    }
}
