package io.armature.samples.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The registry a node process records into: Micrometer's Prometheus registry, so the exposition
 * is the Prometheus client's own (HELP and TYPE for every family, base units in the names).
 * Armature's timers and distribution summaries publish histogram buckets rather than client-side
 * percentiles: quantiles computed per node cannot be averaged, buckets can be summed across nodes
 * and {@code histogram_quantile} taken of the sum. The JVM and process meters are bound too.
 */
public final class NodeMeters {
    /** The content type of the text format the registry writes by default. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private NodeMeters() {
    }

    /**
     * @return a new registry with histograms on and the JVM and process meters bound
     */
    public static PrometheusMeterRegistry create() {
        final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(final Meter.Id id, final DistributionStatisticConfig config) {
                if (id.getName().startsWith("armature.")
                    && (id.getType() == Meter.Type.TIMER || id.getType() == Meter.Type.DISTRIBUTION_SUMMARY)) {
                    return DistributionStatisticConfig.builder().percentilesHistogram(true).percentiles().build().merge(config);
                }
                return config;
            }
        });
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        // Not closed: it lives as long as the process, whose meters it reports.
        @SuppressWarnings("resource") final JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        return registry;
    }
}
