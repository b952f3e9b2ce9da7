package io.armature.samples.cli;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code armature node --config FILE}: a YAML file whose keys are the node command's own option
 * names ({@code listen: 10.0.0.1:7000} is {@code --listen 10.0.0.1:7000}), so the file and the
 * command line are one set of settings with one set of checks and messages, and the reference of
 * every option is {@code armature node --help}. Plugin and node settings go under {@code set:} as
 * a map ({@code set: {bdb.durability: sync}} is {@code --set bdb.durability=sync}). A flag given
 * on the command line wins over the file's key of the same name.
 *
 * <p>Why YAML: it is what Cassandra operators edit, it holds lists (seeds) and maps (plugin
 * settings) without quoting rules, and snakeyaml's safe loader builds only plain maps, lists and
 * scalars.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /**
     * @param node the node command's spec (to check the file's keys against its options)
     * @param args the node command's arguments, {@code --config FILE} among them or not
     * @return the arguments with the file's settings first, for every option the command line
     *     does not give itself
     * @throws CommandLine.ParameterException for an unreadable file, bad YAML, an unknown key or
     *     a value of the wrong shape, naming the file and the key
     */
    static List<String> expand(final CommandSpec node, final List<String> args) {
        final Path file = configPath(node, args);
        if (file == null) {
            return args;
        }
        final Map<String, Object> settings = load(node, file);
        final List<String> given = new ArrayList<>();
        for (final String a : args) {
            if (a.startsWith("--")) {
                given.add(a.contains("=") ? a.substring(0, a.indexOf('=')) : a);
            }
        }
        final List<String> out = new ArrayList<>();
        for (final Map.Entry<String, Object> e : settings.entrySet()) {
            final String key = e.getKey();
            final OptionSpec option = node.findOption("--" + key);
            if (option == null || key.equals("config") || key.equals("help") || key.equals("version")) {
                throw bad(node, file, "unknown key '" + key + "' (known: " + known(node) + ")");
            }
            if (given.contains("--" + key)) {
                continue; // the command line overrides the file
            }
            final Object value = e.getValue();
            if (value == null) {
                throw bad(node, file, "key '" + key + "' has no value");
            }
            if (key.equals("set")) {
                if (!(value instanceof Map<?, ?> map)) {
                    throw bad(node, file, "key 'set' must be a map of setting: value, e.g. set: {bdb.durability: sync}");
                }
                for (final Map.Entry<?, ?> s : map.entrySet()) {
                    if (s.getValue() == null || s.getValue() instanceof Map || s.getValue() instanceof List) {
                        throw bad(node, file, "set." + s.getKey() + " must be a single value");
                    }
                    out.add("--set");
                    out.add(s.getKey() + "=" + s.getValue());
                }
            } else if (value instanceof List<?> list) {
                if (!option.isMultiValue() && option.splitRegex().isEmpty()) {
                    throw bad(node, file, "key '" + key + "' takes one value, not a list");
                }
                out.add("--" + key);
                out.add(String.join(",", list.stream().map(String::valueOf).toList()));
            } else if (value instanceof Map) {
                throw bad(node, file, "key '" + key + "' takes a value, not a map");
            } else if (option.arity().max() == 0) {
                if (Boolean.TRUE.equals(value)) {
                    out.add("--" + key);
                } else if (!Boolean.FALSE.equals(value)) {
                    throw bad(node, file, "key '" + key + "' is true or false, was " + value);
                }
            } else {
                out.add("--" + key);
                out.add(String.valueOf(value));
            }
        }
        out.addAll(args);
        return out;
    }

    private static Path configPath(final CommandSpec node, final List<String> args) {
        Path file = null;
        for (int i = 0; i < args.size(); i++) {
            final String a = args.get(i);
            if (a.equals("--config")) {
                if (i + 1 >= args.size()) {
                    throw new CommandLine.ParameterException(node.commandLine(), "Missing required parameter for option '--config' (FILE)");
                }
                file = Path.of(args.get(i + 1));
            } else if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
            }
        }
        return file;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(final CommandSpec node, final Path file) {
        final Object doc;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (final IOException e) {
            throw bad(node, file, "cannot read it: " + e.getMessage());
        } catch (final YAMLException e) {
            throw bad(node, file, "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (doc == null) {
            return Map.of();
        }
        if (!(doc instanceof Map<?, ?> map) || !map.keySet().stream().allMatch(String.class::isInstance)) {
            throw bad(node, file, "must be a map of option: value at its top level");
        }
        return (Map<String, Object>) map;
    }

    private static String known(final CommandSpec node) {
        final TreeSet<String> names = new TreeSet<>();
        for (final OptionSpec o : node.options()) {
            Arrays.stream(o.names()).filter(n -> n.startsWith("--")).map(n -> n.substring(2)).forEach(names::add);
        }
        names.removeAll(List.of("config", "help", "version"));
        return String.join(", ", names);
    }

    private static CommandLine.ParameterException bad(final CommandSpec node, final Path file, final String what) {
        return new CommandLine.ParameterException(node.commandLine(), "config " + file + ": " + what);
    }
}
