package io.armature.transport.aeron;

import io.armature.spi.transport.TransportConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settings parser survives arbitrary values and names the setting it rejects. */
class AeronSettingsProperties {
    @Property(tries = 1000)
    void anyValueEitherParsesOrIsRejectedNamingItsKey(@ForAll("keys") final String key, @ForAll("values") final String value) {
        final TransportConfig config = TransportConfig.builder().property(key, value).build();
        try {
            AeronSettings.from(config);
        } catch (final IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of(List.copyOf(AeronSettings.KEYS)).filter(k -> !k.equals(AeronSettings.DIR));
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(12),
            Arbitraries.longs().map(String::valueOf),
            Arbitraries.integers().between(0, 100_000).map(i -> i + "k"),
            Arbitraries.integers().between(0, 5000).map(i -> i + "ms"),
            Arbitraries.of("backoff", "yielding", "8k", "2m", "1g", "9999999999999999999g", "5s", "-1", "ms", "k"));
    }
}
