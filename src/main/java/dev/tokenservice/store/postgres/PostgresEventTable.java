package dev.tokenservice.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.tokenservice.background.BackgroundWriter;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.store.EventTable;
import dev.tokenservice.store.StoreUnavailableException;

/**
 * The security events in PostgreSQL ({@code security_event}). {@link #offer} puts the event in a bounded lock-free
 * queue; one writer thread inserts what is queued in batches of up to {@value #BATCH} rows, one transaction each,
 * every {@value #WRITE_INTERVAL_MILLIS} ms. A batch the database refuses (an outage) is not retried: its events
 * are counted as unwritten, as are those that find the queue full, and the writer waits a second before the next
 * batch, so that an outage costs the requests nothing (they never wait for this writer) and the log lines of the
 * outage still go out (the log does not wait for the table either).
 */
final class PostgresEventTable implements EventTable {
    static final String INSERT = """
            INSERT INTO security_event (time, type, outcome, reason, username, client_id, address, session_id, jti,
                                        key_id, count, retry_after, detail, replica)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    static final String SELECT = """
            SELECT * FROM (
                SELECT id, time, type, outcome, reason, username, client_id, address, session_id, jti, key_id, count,
                       retry_after, detail, replica
                FROM security_event
                WHERE time >= ? AND (?::text IS NULL OR username = ?) AND (?::text IS NULL OR client_id = ?)
                  AND (?::text IS NULL OR type = ? OR type LIKE ? || '.%') AND (?::text IS NULL OR address = ?)
                ORDER BY time DESC, id DESC LIMIT ?) newest
            ORDER BY time, id""";
    static final String PURGE = """
            DELETE FROM security_event WHERE id IN (
                SELECT id FROM security_event WHERE time <= ? LIMIT ?)""";

    private static final System.Logger LOGGER = System.getLogger(PostgresEventTable.class.getName());
    private static final int BATCH = 500;
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(200);
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final long WARNING_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Transactions transactions;
    private final Clock clock;
    private final Duration retention;
    private final LongConsumer unwritten;
    private final BackgroundWriter<SecurityEvent> writer;
    private long lastWarning = System.nanoTime() - WARNING_INTERVAL_NANOS;

    /**
     * Creates the table's writer and starts its thread.
     *
     * @param database  the database
     * @param clock     time source of the purge
     * @param retention how long events are kept
     * @param capacity  events queued for the writer before further ones are counted as unwritten
     * @param unwritten told how many events could not be written, each time some could not
     */
    PostgresEventTable(PostgresDatabase database, Clock clock, Duration retention, int capacity,
                       LongConsumer unwritten) {
        this.transactions = new Transactions(database.pool());
        this.clock = clock;
        this.retention = retention;
        this.unwritten = unwritten;
        // what the queue refuses is counted as unwritten at once, by offer
        this.writer = new BackgroundWriter<>("security-event-table-writer", capacity, BATCH, WRITE_INTERVAL,
                                             PAUSE_AFTER_FAILURE, this::write, refused -> { });
    }

    @Override
    public void offer(SecurityEvent event) {
        if (!writer.offer(event)) {
            unwritten.accept(1);
        }
    }

    @Override
    public List<SecurityEvent> read(Query query) {
        return transactions.run("reading security events", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
                int i = 1;
                statement.setObject(i++, Transactions.at(query.since()));
                for (String value : new String[] {query.username().orElse(null), query.clientId().orElse(null)}) {
                    statement.setString(i++, value);
                    statement.setString(i++, value);
                }
                String type = query.type().orElse(null);
                statement.setString(i++, type);
                statement.setString(i++, type);
                statement.setString(i++, type == null ? null : type.replace("\\", "\\\\").replace("%", "\\%")
                        .replace("_", "\\_"));
                String address = query.address().orElse(null);
                statement.setString(i++, address);
                statement.setString(i++, address);
                statement.setInt(i, query.limit());
                List<SecurityEvent> events = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        events.add(event(rows));
                    }
                }
                return events;
            }
        });
    }

    @Override
    public void flush() {
        writer.flush();
    }

    /**
     * Deletes the events older than the retention, in batches.
     *
     * @param batchSize rows per statement
     */
    void purgeExpired(int batchSize) {
        transactions.deleteInBatches("purging old security events", PURGE, batchSize,
                                     clock.instant().minus(retention));
    }

    @Override
    public void close() {
        writer.close();
    }

    /** Writes a batch; {@code false} when the database refused it (its events are counted as unwritten). */
    private boolean write(List<SecurityEvent> batch) {
        try {
            transactions.run("writing security events", connection -> insert(connection, batch));
            return true;
        } catch (StoreUnavailableException | IllegalArgumentException e) {
            unwritten.accept(batch.size());
            long now = System.nanoTime();
            if (now - lastWarning >= WARNING_INTERVAL_NANOS) {
                lastWarning = now;
                LOGGER.log(System.Logger.Level.WARNING, batch.size() + " security events could not be written to"
                        + " the store (they are in the log; counted in security_events_unwritten_total)");
            }
            return false;
        }
    }

    private static Void insert(Connection connection, List<SecurityEvent> batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
            for (SecurityEvent event : batch) {
                int i = 1;
                statement.setObject(i++, Transactions.at(event.time()));
                statement.setString(i++, event.type());
                statement.setString(i++, event.outcome());
                statement.setString(i++, text(event.reason()));
                statement.setString(i++, text(event.username()));
                statement.setString(i++, text(event.clientId()));
                statement.setString(i++, text(event.address()));
                statement.setString(i++, text(event.sessionId()));
                statement.setString(i++, text(event.jti()));
                statement.setString(i++, text(event.keyId()));
                setLong(statement, i++, event.count());
                setLong(statement, i++, event.retryAfter());
                statement.setString(i++, text(event.detail()));
                statement.setString(i, text(event.replica()));
                statement.addBatch();
            }
            statement.executeBatch();
        }
        return null;
    }

    /** PostgreSQL refuses NUL in text and unpaired surrogates in UTF-8: both are written as U+FFFD. */
    private static String text(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1));
            boolean bad = c == 0 || (!pair && Character.isSurrogate(c));
            if (bad && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
                if (pair) {
                    out.append(value.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? value : out.toString();
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static SecurityEvent event(ResultSet rows) throws SQLException {
        long count = rows.getLong("count");
        Long countValue = rows.wasNull() ? null : count;
        long retryAfter = rows.getLong("retry_after");
        Long retryValue = rows.wasNull() ? null : retryAfter;
        return new SecurityEvent(Transactions.instant(rows, "time"), rows.getString("type"),
                                 rows.getString("outcome"), rows.getString("reason"), rows.getString("username"),
                                 rows.getString("client_id"), rows.getString("address"),
                                 rows.getString("session_id"), rows.getString("jti"), rows.getString("key_id"),
                                 countValue, retryValue, rows.getString("detail"), rows.getString("replica"));
    }
}
