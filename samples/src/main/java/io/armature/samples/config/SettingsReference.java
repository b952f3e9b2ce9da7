package io.armature.samples.config;

import io.armature.spi.PluginRegistry;
import io.armature.spi.Provider;
import io.armature.spi.SettingInfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes docs/configuration.md from the settings the plugins describe ({@link Provider#settings()}),
 * so the reference is generated from the code; SettingsReferenceTest fails when the committed file
 * and the code disagree; running that test with {@code -Darmature.regenerate-docs=true} rewrites the file.
 */
public final class SettingsReference {
    private SettingsReference() {
    }

    /**
     * @return the reference as Markdown
     */
    public static String markdown() {
        final StringBuilder sb = new StringBuilder();
        sb.append("# Configuration reference\n\n")
            .append("Generated from the code by `io.armature.samples.config.SettingsReference`; do not edit by hand\n")
            .append("(a test fails when this file and the code disagree). Plugin settings are given to\n")
            .append("`armature node` and `armature bench --embedded` as `--set KEY=VALUE`; a key with a plugin's\n")
            .append("prefix that the plugin does not know is refused, naming it. The node's own settings are its\n")
            .append("command-line options (`armature node --help`); they join this reference with `--config`.\n");
        section(sb, "Storage plugins", PluginRegistry.storage());
        section(sb, "Transport plugins", PluginRegistry.transport());
        return sb.toString();
    }

    private static void section(final StringBuilder sb, final String title, final PluginRegistry<?> registry) {
        sb.append("\n## ").append(title).append('\n');
        for (final String id : registry.ids()) {
            final Provider p = registry.find(id).orElseThrow();
            sb.append("\n### `").append(id).append("`: ").append(p.description()).append("\n\n");
            final List<SettingInfo> settings = p.settings();
            if (settings.isEmpty()) {
                sb.append("No settings.\n");
                continue;
            }
            sb.append("| key | default | allowed | what |\n| --- | --- | --- | --- |\n");
            for (final SettingInfo s : settings) {
                sb.append("| `").append(s.key()).append("` | ").append(s.defaultValue().isEmpty() ? "" : "`" + s.defaultValue() + "`")
                    .append(" | ").append(s.allowed().replace("|", "\\|")).append(" | ").append(s.description().replace("|", "\\|")).append(" |\n");
            }
        }
    }

    /**
     * @param args the file to write
     * @throws IOException if it cannot be written
     */
    public static void main(final String[] args) throws IOException {
        Files.writeString(Path.of(args.length == 0 ? "docs/configuration.md" : args[0]), markdown(), StandardCharsets.UTF_8);
    }
}
