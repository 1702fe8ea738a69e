package dev.tokenservice.store;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Removes expired entries of the stores on one background thread, so that no request ever pays for a scan. */
public final class StorePurge implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(StorePurge.class.getName());

    private final ScheduledExecutorService executor;

    private StorePurge(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs the given purges every interval until closed. */
    public static StorePurge every(long intervalMillis, List<Runnable> purges) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("store-purge").factory());
        executor.scheduleWithFixedDelay(() -> purges.forEach(StorePurge::runQuietly), intervalMillis, intervalMillis,
                                        TimeUnit.MILLISECONDS);
        return new StorePurge(executor);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static void runQuietly(Runnable purge) {
        try {
            purge.run();
        } catch (StoreUnavailableException e) {
            // already logged; the next run tries again
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.WARNING, "Purge failed: " + e.getClass().getName());
        }
    }
}
