package io.armature.storage.bdb;

import io.armature.spi.SettingInfo;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The settings the provider describes are exactly those it accepts. */
class BdbSettingInfoTest {
    @Test
    void describedSettingsAreTheKnownOnes() {
        final Set<String> described = new BdbStorageProvider().settings().stream().map(SettingInfo::key).collect(Collectors.toCollection(TreeSet::new));
        final Set<String> known = new TreeSet<>(BdbSettings.KNOWN);
        known.add(BdbSettings.JE_PREFIX + "*");
        assertEquals(known, described);
    }
}
