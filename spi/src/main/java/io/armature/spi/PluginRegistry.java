package io.armature.spi;

import io.armature.spi.storage.StorageProvider;
import io.armature.spi.transport.TransportProvider;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds providers with {@link ServiceLoader}, by id.
 *
 * <p>An unknown id is an error that lists every provider found and the jar it came from; so is a
 * duplicate id (never "first one wins"). What was loaded is logged at INFO through
 * {@link System.Logger}. Instances are immutable and thread-safe.
 *
 * @param <P> the provider type
 */
public final class PluginRegistry<P extends Provider> {
    private static final System.Logger LOG = System.getLogger(PluginRegistry.class.getName());

    private final String kind;
    private final Map<String, P> byId;
    private final Map<String, String> origins;

    private PluginRegistry(final String kind, final Map<String, P> byId, final Map<String, String> origins) {
        this.kind = kind;
        this.byId = byId;
        this.origins = origins;
    }

    /**
     * @return the storage providers on the class path of this class's loader
     */
    public static PluginRegistry<StorageProvider> storage() {
        return load("storage", StorageProvider.class, PluginRegistry.class.getClassLoader());
    }

    /**
     * @return the transport providers on the class path of this class's loader
     */
    public static PluginRegistry<TransportProvider> transport() {
        return load("transport", TransportProvider.class, PluginRegistry.class.getClassLoader());
    }

    /**
     * Loads every provider of a type.
     *
     * @param kind a word for messages, such as {@code "storage"}
     * @param type the provider interface
     * @param loader where to look
     * @param <P> the provider type
     * @return the registry
     * @throws PluginException if two providers share an id or a provider fails to load
     */
    public static <P extends Provider> PluginRegistry<P> load(final String kind, final Class<P> type, final ClassLoader loader) {
        final Map<String, P> byId = new TreeMap<>();
        final Map<String, String> origins = new TreeMap<>();
        final List<P> found = new ArrayList<>();
        try {
            for (final P p : ServiceLoader.load(type, loader)) {
                found.add(p);
            }
        } catch (final ServiceConfigurationError e) {
            throw new PluginException(kind + " plugins: a provider failed to load: " + e.getMessage(), e);
        }
        return of(kind, found, byId, origins);
    }

    /**
     * Builds a registry from given providers, with the same checks as {@link #load}.
     *
     * @param kind a word for messages
     * @param providers the providers
     * @param <P> the provider type
     * @return the registry
     */
    public static <P extends Provider> PluginRegistry<P> of(final String kind, final List<P> providers) {
        return of(kind, providers, new TreeMap<>(), new TreeMap<>());
    }

    private static <P extends Provider> PluginRegistry<P> of(final String kind, final List<P> providers,
                                                          final Map<String, P> byId, final Map<String, String> origins) {
        for (final P p : providers) {
            final String id = p.id();
            final String origin = origin(p);
            if (id == null || id.isBlank()) {
                throw new PluginException(kind + " plugin " + p.getClass().getName() + " from " + origin + " has no id");
            }
            final P previous = byId.putIfAbsent(id, p);
            if (previous != null) {
                throw new PluginException(kind + " plugin id '" + id + "' is provided twice: by "
                    + previous.getClass().getName() + " from " + origins.get(id) + " and by "
                    + p.getClass().getName() + " from " + origin);
            }
            origins.put(id, origin);
            LOG.log(System.Logger.Level.DEBUG, "found {0} plugin ''{1}'': {2} from {3}", kind, id, p.getClass().getName(), origin);
        }
        return new PluginRegistry<>(kind, Collections.unmodifiableMap(byId), Collections.unmodifiableMap(origins));
    }

    /**
     * @param id a provider id
     * @return the provider
     * @throws PluginException if no provider has that id; the message lists those found
     */
    public P get(final String id) {
        final P p = byId.get(id);
        if (p == null) {
            throw new PluginException("unknown " + kind + " plugin '" + id + "'; found " + describe());
        }
        LOG.log(System.Logger.Level.INFO, "using {0} plugin ''{1}'' ({2}) from {3}", kind, id, p.description(), origins.get(id));
        return p;
    }

    /**
     * Looks a provider up without logging its use (for listings).
     *
     * @param id a provider id
     * @return the provider, or empty if none has that id
     */
    public Optional<P> find(final String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * @param id a provider id
     * @return where its class was loaded from (a jar or directory URL), or null if none has that id
     */
    public String origin(final String id) {
        return origins.get(id);
    }

    /**
     * @return the ids found, sorted
     */
    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    /**
     * @return every provider found with the jar it came from, for messages
     */
    public String describe() {
        if (byId.isEmpty()) {
            return "none (is the plugin's jar on the class path?)";
        }
        final StringBuilder sb = new StringBuilder();
        for (final Map.Entry<String, P> e : byId.entrySet()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(e.getKey()).append("' (").append(e.getValue().getClass().getName())
                .append(" from ").append(origins.get(e.getKey())).append(')');
        }
        return sb.toString();
    }

    private static String origin(final Object p) {
        final CodeSource cs = p.getClass().getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? "an unknown location" : cs.getLocation().toString();
    }
}
