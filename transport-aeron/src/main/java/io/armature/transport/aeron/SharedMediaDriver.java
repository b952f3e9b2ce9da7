package io.armature.transport.aeron;

import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.armature.spi.transport.TransportException;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;

import java.io.File;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The one embedded media driver and Aeron client of this JVM, shared by every Aeron transport in
 * it and reference-counted: the first {@link #acquire} launches them, the last {@link #release}
 * closes them and deletes the driver directory.
 *
 * <p>The {@link ReceivePoller} thread that polls every transport's subscription lives and dies
 * with them. SHARED threading mode: one driver thread beats three on two cores (MEASURED.md trap 3).
 * The directory is per process and deleted on start and on shutdown (trap 4).
 */
final class SharedMediaDriver {
    private static final System.Logger LOG = System.getLogger(SharedMediaDriver.class.getName());

    private static MediaDriver driver;
    private static Aeron aeron;
    private static ReceivePoller poller;
    private static AgentRunner pollerRunner;
    private static String directory;
    private static int users;
    private static Thread closer;

    private SharedMediaDriver() {
    }

    static synchronized Aeron acquire(final AeronSettings settings) {
        if (users == 0) {
            start(settings);
        }
        users++;
        return aeron;
    }

    static synchronized void release() {
        if (users == 0) {
            return;
        }
        users--;
        if (users == 0) {
            final String dir = directory;
            if (pollerRunner.thread() == Thread.currentThread()) {
                // The last transport closed from its handler: the receive thread cannot join itself,
                // so a helper closes it; the next start waits for that helper.
                final AutoCloseable[] resources = {pollerRunner, aeron, driver};
                closer = daemon("armature-aeron-close").newThread(() -> CloseHelper.closeAll(resources));
                closer.start();
            } else {
                CloseHelper.closeAll(pollerRunner, aeron, driver);
            }
            pollerRunner = null;
            poller = null;
            aeron = null;
            driver = null;
            directory = null;
            LOG.log(System.Logger.Level.DEBUG, "closed the shared Aeron media driver in " + dir);
        }
    }

    static synchronized ReceivePoller poller() {
        return poller;
    }

    static synchronized String directory() {
        return directory;
    }

    private static void start(final AeronSettings settings) {
        if (closer != null) {
            try {
                closer.join();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TransportException("interrupted while the previous Aeron media driver closed", e);
            }
            closer = null;
        }
        final MediaDriver.Context ctx = new MediaDriver.Context()
            .aeronDirectoryName(settings.dir)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(settings.newIdleStrategy())
            .sharedThreadFactory(daemon("armature-aeron-driver"))
            .termBufferSparseFile(true)
            // Checks lingering images every 100 ms, not every second, so a closed port is free sooner.
            .timerIntervalNs(TimeUnit.MILLISECONDS.toNanos(100))
            // The driver and its one client live in this process and stop together (a GC pause, SIGSTOP, a
            // suspended VM): with Aeron's 10 s defaults a longer stop makes each declare the other dead on
            // resume and the transport never sends again. Size the liveness timeouts for such stops instead.
            .clientLivenessTimeoutNs(settings.pauseToleranceNs)
            .publicationUnblockTimeoutNs(settings.pauseToleranceNs + TimeUnit.SECONDS.toNanos(5))
            .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(settings.pauseToleranceNs))
            .mtuLength(settings.mtu)
            .socketRcvbufLength(settings.socketRcvbuf)
            .socketSndbufLength(settings.socketSndbuf)
            .initialWindowLength(settings.receiverWindow)
            .errorHandler(e -> LOG.log(System.Logger.Level.WARNING, "Aeron media driver error", e))
            .printConfigurationOnStart(false)
            .warnIfDirectoryExists(false);
        MediaDriver launched = null;
        try {
            launched = MediaDriver.launchEmbedded(ctx);
            aeron = Aeron.connect(new Aeron.Context()
                .aeronDirectoryName(launched.aeronDirectoryName())
                .threadFactory(daemon("armature-aeron-client"))
                .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(settings.pauseToleranceNs))
                .errorHandler(e -> LOG.log(System.Logger.Level.WARNING, "Aeron client error", e)));
            driver = launched;
            directory = launched.aeronDirectoryName();
            poller = new ReceivePoller();
            pollerRunner = new AgentRunner(settings.newIdleStrategy(),
                e -> LOG.log(System.Logger.Level.WARNING, "Aeron receive poller error", e), null, poller);
            AgentRunner.startOnThread(pollerRunner, daemon("armature-aeron-receiver"));
        } catch (final RuntimeException e) {
            CloseHelper.quietCloseAll(pollerRunner, aeron, launched);
            pollerRunner = null;
            poller = null;
            aeron = null;
            deleteQuietly(new File(settings.dir));
            throw new TransportException("cannot start the Aeron media driver in " + settings.dir + ": " + e.getMessage(), e);
        }
    }

    private static ThreadFactory daemon(final String name) {
        return r -> {
            final Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void deleteQuietly(final File dir) {
        final File[] children = dir.listFiles();
        if (children != null) {
            for (final File child : children) {
                deleteQuietly(child);
            }
        }
        if (!dir.delete() && dir.exists()) {
            LOG.log(System.Logger.Level.DEBUG, "could not delete " + dir);
        }
    }
}
