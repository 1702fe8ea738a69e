package dev.tokenservice.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import dev.tokenservice.store.StoreUnavailableException;

/**
 * Runs a unit of work in one transaction of the pool: committed as a whole, or rolled back as a whole when anything
 * fails, and then reported as {@link StoreUnavailableException} (a request answers 503; nothing is half-done).
 */
final class Transactions {
    /**
     * The most batches of one purge statement per run: a backlog is worked off over several runs, never by one
     * long transaction.
     */
    static final int MAX_BATCHES = 100;

    private static final System.Logger LOGGER = System.getLogger(Transactions.class.getName());

    private static final long WARNING_INTERVAL_NANOS = 10_000_000_000L;
    private static final AtomicLong LAST_WARNING = new AtomicLong(System.nanoTime() - WARNING_INTERVAL_NANOS - 1);

    private final DataSource pool;

    Transactions(DataSource pool) {
        this.pool = pool;
    }

    /**
     * Runs work in one transaction.
     *
     * @param what what the work does, for the error (no token, no credential)
     * @return the result, after the commit
     * @throws StoreUnavailableException when the database failed; nothing was committed (or, if the connection was
     *                                   lost during the commit itself, the whole transaction may have been)
     */
    <T> T run(String what, Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /**
     * Runs one statement in a transaction of its own, committed by the server as the statement ends: one round trip
     * instead of two, and locks the statement takes are held only while the server works, not while the answer
     * travels to this process and the commit back. The commit is as durable as that of {@link #run} (the driver
     * returns once the server has committed).
     *
     * @param what what the work does, for the error (no token, no credential)
     * @param work the work: a single statement, which is atomic on its own
     * @return the result, after the commit
     * @throws StoreUnavailableException when the database failed; nothing was committed (or, if the connection was
     *                                   lost during the commit itself, the statement may have been)
     */
    <T> T runStatement(String what, Work<T> work) {
        // the pool sets auto-commit back to off when the connection returns to it
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(true);
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    private static StoreUnavailableException unavailable(String what, SQLException e) {
        // the SQL state says which kind of failure; the message may quote values, so it stays out of the log.
        // At most one line every few seconds: in an outage every request fails alike.
        long now = System.nanoTime();
        long last = LAST_WARNING.get();
        if (now - last > WARNING_INTERVAL_NANOS && LAST_WARNING.compareAndSet(last, now)) {
            LOGGER.log(System.Logger.Level.WARNING, "Store unavailable: " + what + " failed, SQL state "
                    + e.getSQLState());
        }
        return new StoreUnavailableException(what + " failed: the store is unavailable", e);
    }

    /**
     * An instant as a {@code timestamptz} parameter.
     *
     * @return value for {@code setObject}
     */
    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A {@code timestamptz} column as an instant. */
    static Instant instant(ResultSet rows, String column) throws SQLException {
        return rows.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken: the transaction is gone with it
        }
    }

    /** Work on a connection not in auto-commit mode. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }
    /**
     * Runs a {@code DELETE ... WHERE key IN (SELECT key ... WHERE <time> <= ? LIMIT ?)} until it deletes less than
     * a batch, at most {@link #MAX_BATCHES} times, each batch its own transaction.
     *
     * @param sql          the statement: the times as its first parameters, then the batch size
     * @return rows deleted
     */
    int deleteInBatches(String what, String sql, int batchSize, Instant... times) {
        int total = 0;
        for (int batch = 0; batch < MAX_BATCHES; batch++) {
            int deleted = run(what, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < times.length; i++) {
                        statement.setObject(i + 1, at(times[i]));
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

}
