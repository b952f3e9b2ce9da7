package io.armature.samples.cli;

import io.armature.api.Context;
import io.armature.api.InvalidRequestException;
import io.armature.spi.transport.Endpoint;
import picocli.CommandLine;

import java.time.Duration;
import java.util.Locale;

/**
 * Option converters; a bad value becomes a usage error (exit code 2) that names the option.
 */
final class Converters {
    private Converters() {
    }

    /** {@code HOST:PORT}. */
    static final class EndpointConverter implements CommandLine.ITypeConverter<Endpoint> {
        @Override
        public Endpoint convert(final String value) {
            try {
                return Endpoint.parse(value);
            } catch (final IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** A context token as printed by put, get and delete. */
    static final class ContextConverter implements CommandLine.ITypeConverter<Context> {
        @Override
        public Context convert(final String value) {
            try {
                return Context.fromToken(value);
            } catch (final InvalidRequestException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 30}, {@code 30s}, {@code 500ms}, {@code 2m}: plain numbers are seconds. */
    static class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        /** @return whether 0 is a valid answer */
        boolean allowsZero() {
            return false;
        }

        @Override
        public Duration convert(final String value) {
            final String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                final Duration d;
                if (v.endsWith("ms")) {
                    d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                } else if (v.endsWith("s")) {
                    d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                } else if (v.endsWith("m")) {
                    d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                } else {
                    d = Duration.ofSeconds(Long.parseLong(v));
                }
                if (d.isNegative() || (d.isZero() && !allowsZero())) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a " + (allowsZero() ? "non-negative" : "positive") + " duration");
                }
                return d;
            } catch (final NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 500ms or 2m");
            }
        }
    }

    /** A duration that may be zero, like {@code --warmup 0s}. */
    static final class NonNegativeDurationConverter extends DurationConverter {
        @Override
        boolean allowsZero() {
            return true;
        }
    }
}
