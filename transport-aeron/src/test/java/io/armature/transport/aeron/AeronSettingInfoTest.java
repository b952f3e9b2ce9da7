package io.armature.transport.aeron;

import io.armature.spi.SettingInfo;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The settings the provider describes are exactly those it accepts. */
class AeronSettingInfoTest {
    @Test
    void describedSettingsAreTheKnownOnes() {
        final Set<String> described = new AeronTransportProvider().settings().stream().map(SettingInfo::key)
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(AeronSettings.KEYS), described);
    }
}
