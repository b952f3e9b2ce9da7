package io.armature.spi;

import io.armature.spi.storage.StorageConfig;
import io.armature.spi.storage.StorageEngine;
import io.armature.spi.storage.StorageProvider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginRegistryTest {
    private static final class Fake implements StorageProvider {
        private final String id;

        Fake(final String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public StorageEngine open(final StorageConfig config) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void anUnknownIdIsAnErrorThatListsWhatWasFound() {
        final PluginRegistry<StorageProvider> registry = PluginRegistry.of("storage", List.of(new Fake("alpha"), new Fake("beta")));
        final PluginException e = assertThrows(PluginException.class, () -> registry.get("gamma"));
        assertTrue(e.getMessage().contains("unknown storage plugin 'gamma'"), e.getMessage());
        assertTrue(e.getMessage().contains("'alpha'") && e.getMessage().contains("'beta'"), e.getMessage());
        assertTrue(e.getMessage().contains(Fake.class.getName()), "names the class: " + e.getMessage());
    }

    @Test
    void aDuplicateIdIsAnErrorNamingBothProviders() {
        final PluginException e = assertThrows(PluginException.class,
            () -> PluginRegistry.of("storage", List.of(new Fake("same"), new Fake("same"))));
        assertTrue(e.getMessage().contains("'same' is provided twice"), e.getMessage());
    }

    @Test
    void aBlankIdIsRefused() {
        assertThrows(PluginException.class, () -> PluginRegistry.of("storage", List.of(new Fake(" "))));
    }

    @Test
    void providersAreFoundByIdAndListedSorted() {
        final Fake b = new Fake("b");
        final PluginRegistry<StorageProvider> registry = PluginRegistry.of("storage", List.of(b, new Fake("a")));
        assertSame(b, registry.get("b"));
        assertEquals(List.of("a", "b"), registry.ids());
    }

    @Test
    void anEmptyClassPathSaysSo() {
        final PluginException e = assertThrows(PluginException.class,
            () -> PluginRegistry.of("transport", List.<StorageProvider>of()).get("aeron"));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }
}
