package dev.tokenservice.store.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.IntFunction;

import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.FailureState;

/**
 * Failure counters in PostgreSQL, shared by every instance. A failure is one transaction: the upsert that counts it
 * locks the key's row, and the wait is set under that lock, so concurrent failures of one key on any instances are
 * all counted. Bounded: {@link #purgeExpired(int)} removes, in batches off the request path, the keys whose wait
 * has ended and that have seen no failure for {@code retention}, and, when more than {@code maxEntries} keys are
 * held, the keys that are not waiting, oldest failure first.
 */
final class PostgresFailureCounters implements FailureCounters {
    static final String COUNT = """
            INSERT INTO login_failure AS f (key, failures, blocked_until, last_failure) VALUES (?, 1, ?, ?)
            ON CONFLICT (key) DO UPDATE
                SET failures = CASE WHEN f.last_failure < ? AND f.blocked_until <= EXCLUDED.last_failure THEN 1
                                    ELSE f.failures + 1 END,
                    last_failure = EXCLUDED.last_failure
            RETURNING failures""";

    static final String GET = "SELECT failures, blocked_until FROM login_failure WHERE key = ?";
    static final String SET_WAIT = "UPDATE login_failure SET blocked_until = ? WHERE key = ?";
    static final String RESET = "DELETE FROM login_failure WHERE key = ?";
    static final String PURGE = """
            DELETE FROM login_failure WHERE key IN (
                SELECT key FROM login_failure WHERE last_failure < ? AND blocked_until <= ? LIMIT ?)""";
    static final String CAP = """
            DELETE FROM login_failure WHERE key IN (
                SELECT key FROM login_failure WHERE blocked_until <= ? ORDER BY last_failure LIMIT ?)""";

    private final Transactions transactions;
    private final Clock clock;
    private final Duration retention;
    private final int maxEntries;

    PostgresFailureCounters(PostgresDatabase database, Clock clock, Duration retention, int maxEntries) {
        this.transactions = new Transactions(database.pool());
        this.clock = clock;
        this.retention = retention;
        this.maxEntries = maxEntries;
    }

    @Override
    public FailureState get(String key) {
        return transactions.run("reading a login failure counter", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(GET)) {
                statement.setString(1, key);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next()
                            ? new FailureState(rows.getInt(1), Transactions.instant(rows, "blocked_until"))
                            : FailureState.NONE;
                }
            }
        });
    }

    @Override
    public FailureState recordFailure(String key, Instant now, IntFunction<Duration> delay) {
        return transactions.run("counting a login failure", connection -> {
            int failures;
            try (PreparedStatement statement = connection.prepareStatement(COUNT)) {
                statement.setString(1, key);
                statement.setObject(2, Transactions.at(now));
                statement.setObject(3, Transactions.at(now));
                // a key quiet for longer than the retention starts again, whether or not a purge has run
                statement.setObject(4, Transactions.at(now.minus(retention)));
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    failures = rows.getInt(1);
                }
            }
            Instant blockedUntil = now.plus(delay.apply(failures));
            try (PreparedStatement statement = connection.prepareStatement(SET_WAIT)) {
                statement.setObject(1, Transactions.at(blockedUntil));
                statement.setString(2, key);
                statement.executeUpdate();
            }
            return new FailureState(failures, blockedUntil);
        });
    }

    @Override
    public void reset(String key) {
        transactions.run("resetting a login failure counter", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(RESET)) {
                statement.setString(1, key);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * Forgets keys whose wait has ended and whose last failure is older than the retention; then, while more
     * than the most keys are held, those not waiting, oldest failure first.
     */
    void purgeExpired(int batchSize) {
        Instant now = clock.instant();
        transactions.deleteInBatches("purging login failure counters", PURGE, batchSize,
                                   now.minus(retention), now);
        int excess = transactions.run("counting login failure counters", connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT count(*) FROM (SELECT 1 FROM login_failure LIMIT ?) AS held")) {
                statement.setInt(1, maxEntries + batchSize * Transactions.MAX_BATCHES);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return rows.getInt(1) - maxEntries;
                }
            }
        });
        if (excess > 0) {
            transactions.deleteInBatches("capping login failure counters", CAP,
                                       Math.min(batchSize, excess), now);
        }
    }
}
