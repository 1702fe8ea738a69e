package dev.tokenservice.sessions;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Removes expired entries of the stores on one background thread, so that no request ever pays for a scan. In a
 * database each statement deletes at most one batch of rows found through an index, and a run stops after
 * {@link #MAX_BATCHES} batches per table: a backlog is worked off over several runs, never by one long
 * transaction.
 */
final class StorePurge implements AutoCloseable {
    static final int MAX_BATCHES = 100;

    private static final System.Logger LOGGER = System.getLogger(StorePurge.class.getName());

    private final ScheduledExecutorService executor;

    private StorePurge(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /**
     * Runs the given purges every interval.
     *
     * @param intervalMillis interval
     * @param purges         what to run
     * @return the schedule, to close on shutdown
     */
    static StorePurge every(long intervalMillis, List<Runnable> purges) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("store-purge").factory());
        executor.scheduleWithFixedDelay(() -> purges.forEach(StorePurge::runQuietly), intervalMillis, intervalMillis,
                                        TimeUnit.MILLISECONDS);
        return new StorePurge(executor);
    }

    /**
     * Runs a {@code DELETE ... WHERE key IN (SELECT key ... WHERE <time> <= ? LIMIT ?)} until it deletes less than
     * a batch, at most {@link #MAX_BATCHES} times, each batch its own transaction.
     *
     * @param transactions the pool
     * @param what         what is purged, for the log
     * @param sql          the statement: the times as its first parameters, then the batch size
     * @param batchSize    rows per statement
     * @param times        the times the statement compares with
     * @return rows deleted
     */
    static int deleteInBatches(Transactions transactions, String what, String sql, int batchSize, Instant... times) {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int deleted = transactions.run(what, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < times.length; i++) {
                        statement.setObject(i + 1, Transactions.at(times[i]));
                    }
                    statement.setInt(times.length + 1, batchSize);
                    return statement.executeUpdate();
                }
            });
            total += deleted;
            if (deleted < batchSize) {
                break;
            }
        }
        return total;
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
