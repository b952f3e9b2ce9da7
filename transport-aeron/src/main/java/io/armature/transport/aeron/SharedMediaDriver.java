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
 * with them. In owner-driven mode (chosen by the first transport) there are no threads at all:
 * the driver runs as an invoker, and the owners drive it and poll their own subscriptions
 * ({@link OwnerDrive}). SHARED threading mode: one driver thread beats three on two cores (MEASURED.md trap 3).
 * The directory is per process and deleted on start and on shutdown (trap 4).
 */
final class SharedMediaDriver {
    private static final System.Logger LOG = System.getLogger(SharedMediaDriver.class.getName());

    private static MediaDriver driver;
    private static Aeron aeron;
    private static ReceivePoller poller;
    private static AgentRunner pollerRunner;
    private static String directory;
    private static OwnerDrive ownerDrive;
    private static int users;
    private static Thread closer;

    private SharedMediaDriver() {
    }

    static synchronized Aeron acquire(final AeronSettings settings) {
        if (users == 0) {
            start(settings);
        } else if (ownerDrive != null && !settings.ownerDriven) {
            // The reverse is fine (an owner-driven request joins the driver's threads, see below); this
            // one is not: nothing would drive the driver or poll this transport between its owners' calls.
            throw new TransportException("aeron transport: this JVM's media driver is owner-driven; a transport "
                + "cannot be run by threads beside it (set aeron.owner-driven=false on every transport of the JVM, "
                + "or the same value on all)");
        }
        // An owner-driven request beside a driver that runs its own threads (an embedded node and a
        // remote client in one JVM) simply joins them: its ownerDriven() answers false.
        users++;
        return aeron;
    }

    /**
     * @return the duty cycle of the owner-driven driver, or null when the driver runs its own threads
     */
    static synchronized OwnerDrive ownerDrive() {
        return ownerDrive;
    }

    static synchronized void release() {
        if (users == 0) {
            return;
        }
        users--;
        if (users == 0) {
            final String dir = directory;
            if (ownerDrive != null) {
                ownerDrive.close(aeron, driver);
            } else if (pollerRunner.thread() == Thread.currentThread()) {
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
            ownerDrive = null;
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
            .threadingMode(settings.ownerDriven ? ThreadingMode.INVOKER : ThreadingMode.SHARED)
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
        if (settings.ownerDriven) {
            // No threads at all: the driver's few async tasks (resolving a channel's host name)
            // then run in its own duty cycle, on the owner's thread.
            ctx.asyncTaskExecutorThreads(0);
        }
        MediaDriver launched = null;
        try {
            launched = MediaDriver.launchEmbedded(ctx);
            final Aeron.Context client = new Aeron.Context()
                .aeronDirectoryName(launched.aeronDirectoryName())
                .threadFactory(daemon("armature-aeron-client"))
                .driverTimeoutMs(TimeUnit.NANOSECONDS.toMillis(settings.pauseToleranceNs))
                .errorHandler(e -> LOG.log(System.Logger.Level.WARNING, "Aeron client error", e));
            final OwnerDrive drive = settings.ownerDriven ? new OwnerDrive(launched.sharedAgentInvoker()) : null;
            if (drive != null) {
                client.useConductorAgentInvoker(true).driverAgentInvoker(drive.driverInvoker());
            }
            aeron = Aeron.connect(client);
            driver = launched;
            directory = launched.aeronDirectoryName();
            if (drive != null) {
                drive.conductor(aeron.conductorAgentInvoker());
                ownerDrive = drive;
            } else {
                poller = new ReceivePoller();
                pollerRunner = new AgentRunner(settings.newIdleStrategy(),
                    e -> LOG.log(System.Logger.Level.WARNING, "Aeron receive poller error", e), null, poller);
                AgentRunner.startOnThread(pollerRunner, daemon("armature-aeron-receiver"));
            }
        } catch (final RuntimeException e) {
            CloseHelper.quietCloseAll(pollerRunner, aeron, launched);
            pollerRunner = null;
            poller = null;
            ownerDrive = null;
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
