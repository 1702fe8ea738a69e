package dev.tokenservice.store.postgres;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tokenservice.events.EventTypes;
import dev.tokenservice.events.Reasons;
import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.events.SecurityEvents;
import dev.tokenservice.store.AccessTokenId;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.store.StoreUnavailableException;
import dev.tokenservice.store.memory.InMemoryRevokedTokens;

import org.postgresql.PGConnection;

/**
 * Revoked access token ids in PostgreSQL, mirrored in memory on every instance: {@link #isRevoked(String)} reads
 * only the mirror (one hash lookup, never the database).
 * <p>
 * The mirror learns new revocations from a listener thread on a dedicated connection: PostgreSQL
 * {@code LISTEN}/{@code NOTIFY} wakes it at once on every revoking commit, and it then reads the rows whose
 * {@code seq} is above the last one it has seen. After every (re)connect it listens first and then reads
 * everything above that {@code seq}, so nothing committed while it was disconnected is missed; it also reads
 * every {@link #CATCH_UP_INTERVAL} without a notification, which keeps checking that the connection lives.
 * <p>
 * A revocation made here goes into the mirror at once. When the database is unavailable it still does, and waits
 * in memory to be written once the database returns (then it reaches the other instances); the caller gets
 * {@link StoreUnavailableException}.
 */
final class PostgresRevokedTokens implements RevokedTokens, AutoCloseable {
    static final String CHANNEL = "revoked_access_tokens";

    private static final System.Logger LOGGER = System.getLogger(PostgresRevokedTokens.class.getName());
    private static final Duration CATCH_UP_INTERVAL = Duration.ofSeconds(2);
    /** Unnumbered revocations left by an instance that stopped before numbering them wait at most this long. */
    private static final Duration NUMBERING_INTERVAL = Duration.ofMillis(500);
    /**
     * Pause after a batch, so that the next one gathers the refreshes of that time: fewer WAL flushes, notifications
     * and reads by every instance, for a delay far below the second a revocation may take to reach them.
     */
    private static final Duration NUMBERING_PAUSE = Duration.ofMillis(20);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** Revocations waiting for the database beyond this many are kept in the mirror only. */
    private static final int MAX_PENDING = 100_000;

    static final String RECORD = """
            WITH clock AS (UPDATE revocation_clock SET seq = seq + 1 RETURNING seq),
                 inserted AS (INSERT INTO revoked_access_token (jti, forget_at, seq)
                              SELECT r.jti, r.forget_at, clock.seq
                              FROM unnest(?::text[], ?::timestamptz[]) AS r(jti, forget_at), clock
                              ON CONFLICT (jti) DO NOTHING)
            SELECT pg_notify('%s', clock.seq::text) FROM clock""".formatted(CHANNEL);
    /*
     * Numbers the revocations recorded without a number (by refreshes past the access-token cap) in one batch, under
     * the clock's row lock like RECORD, and notifies; takes no lock and writes nothing when there are none.
     */
    static final String NUMBER = """
            WITH clock AS (UPDATE revocation_clock SET seq = seq + 1
                           WHERE id AND EXISTS (SELECT FROM revoked_access_token WHERE seq IS NULL)
                           RETURNING seq),
                 numbered AS (UPDATE revoked_access_token r SET seq = clock.seq FROM clock WHERE r.seq IS NULL)
            SELECT pg_notify('%s', clock.seq::text) FROM clock""".formatted(CHANNEL);
    static final String SINCE = """
            SELECT jti, forget_at, seq FROM revoked_access_token WHERE seq > ? AND forget_at > ? ORDER BY seq""";

    static final String PURGE = """
            DELETE FROM revoked_access_token WHERE jti IN (
                SELECT jti FROM revoked_access_token WHERE forget_at <= ? LIMIT ?)""";

    private final PostgresDatabase database;
    private final Transactions transactions;
    private final InMemoryRevokedTokens mirror;
    private final Clock clock;
    private final Duration leeway;
    private final ConcurrentLinkedQueue<Revocation> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final Object connectedSignal = new Object();
    private final Thread listener;
    private final Thread sequencer;
    private final Semaphore toNumber = new Semaphore(0);
    private volatile Connection listening;
    private volatile boolean connected;
    private volatile SecurityEvents events = SecurityEvents.NONE;
    private boolean lost;
    private volatile boolean closed;
    private volatile Instant lastCatchUp = Instant.EPOCH;
    private long lastSeq;

    private PostgresRevokedTokens(PostgresDatabase database, Clock clock, Duration leeway) {
        this.database = database;
        this.transactions = new Transactions(database.pool());
        this.mirror = new InMemoryRevokedTokens(clock, leeway);
        this.clock = clock;
        this.leeway = leeway;
        this.listener = Thread.ofPlatform().daemon().name("revocation-listener").unstarted(this::listen);
        this.sequencer = Thread.ofPlatform().daemon().name("revocation-sequencer").unstarted(this::number);
    }

    /**
     * Starts the mirror: loads every live revocation and listens for new ones.
     *
     * @param leeway   clock skew allowed past {@code exp}
     * @param startup  how long to wait for the first load
     * @throws IllegalStateException when the first load does not complete in time
     */
    static PostgresRevokedTokens start(PostgresDatabase database, Clock clock, Duration leeway, Duration startup) {
        return start(database, clock, leeway, startup, SecurityEvents.NONE);
    }

    /**
     * Starts the mirror, reporting when the store becomes unavailable and available again.
     *
     * @param database the database
     * @param clock    time source
     * @param leeway   clock skew allowed past {@code exp}
     * @param startup  how long to wait for the first load
     * @param events   told of each loss of the database and each return after one
     * @return the store, loaded
     * @throws IllegalStateException when the first load does not complete in time
     */
    static PostgresRevokedTokens start(PostgresDatabase database, Clock clock, Duration leeway, Duration startup,
                                       SecurityEvents events) {
        PostgresRevokedTokens revoked = new PostgresRevokedTokens(database, clock, leeway);
        revoked.events = events;
        revoked.listener.start();
        revoked.sequencer.start();
        if (!revoked.awaitConnected(startup)) {
            revoked.close();
            throw new IllegalStateException("app.store: could not load the revoked tokens within " + startup);
        }
        return revoked;
    }

    @Override
    public void revoke(String jti, Instant expiresAt) {
        Revocation revocation = new Revocation(jti, mirror.forgetAt(expiresAt));
        if (!revocation.forgetAt().isAfter(clock.instant())) {
            return;
        }
        mirror.remember(jti, revocation.forgetAt());
        try {
            transactions.run("revoking an access token", connection -> {
                record(connection, List.of(revocation));
                return null;
            });
        } catch (StoreUnavailableException e) {
            if (pendingCount.incrementAndGet() <= MAX_PENDING) {
                pending.add(revocation);
            } else {
                pendingCount.decrementAndGet();
            }
            throw e;
        }
    }

    @Override
    public boolean isRevoked(String jti) {
        return mirror.isRevoked(jti);
    }

    /** Whether the mirror is known to hold every revocation committed so far: the listener is connected. */
    @Override
    public boolean current() {
        return connected;
    }

    /**
     * When the mirror last read the database.
     *
     * @return instant, {@link Instant#EPOCH} before the first read
     */
    Instant lastCatchUp() {
        return lastCatchUp;
    }

    /**
     * Records revocations in the caller's transaction, under the next {@code seq}, and notifies the listeners at
     * its commit. Takes the revocation clock's row lock last, so transactions that also lock sessions do so in one
     * order.
     *
     * @param revocations the ids and when to forget them
     */
    static void record(Connection connection, Collection<Revocation> revocations) throws SQLException {
        if (revocations.isEmpty()) {
            return;
        }
        String[] jtis = new String[revocations.size()];
        OffsetDateTime[] forgetAt = new OffsetDateTime[revocations.size()];
        int i = 0;
        for (Revocation revocation : revocations) {
            jtis[i] = revocation.jti();
            forgetAt[i++] = Transactions.at(revocation.forgetAt());
        }
        try (PreparedStatement statement = connection.prepareStatement(RECORD)) {
            Array jtiArray = connection.createArrayOf("text", jtis);
            Array forgetArray = connection.createArrayOf("timestamptz", forgetAt);
            statement.setArray(1, jtiArray);
            statement.setArray(2, forgetArray);
            statement.executeQuery().close();
        }
    }

    /** How long past {@code exp} a revoked id is kept: for statements that record revocations themselves. */
    Duration leeway() {
        return leeway;
    }

    /** The revocation of an access token, as recorded. */
    Revocation revocation(AccessTokenId accessToken) {
        return new Revocation(accessToken.jti(), mirror.forgetAt(accessToken.expiresAt()));
    }

    /** Puts committed revocations into the mirror at once, before any notification comes back. */
    void remember(Collection<Revocation> revocations) {
        revocations.forEach(revocation -> mirror.remember(revocation.jti(), revocation.forgetAt()));
    }

    /**
     * Asks for the revocations recorded without a number to be numbered, which sends them to the other instances:
     * after a commit that recorded some.
     */
    void numberSoon() {
        toNumber.release();
    }

    /** Forgets expired ids: in the mirror, and in the database in batches. */
    void purgeExpired(int batchSize) {
        mirror.purgeExpired();
        Instant cutoff = clock.instant();
        transactions.deleteInBatches("purging revoked access tokens", PURGE, batchSize, cutoff);
    }

    /** The number of ids in the mirror. */
    int size() {
        return mirror.size();
    }

    @Override
    public void close() {
        closed = true;
        Connection connection = listening;
        if (connection != null) {
            try {
                // abort, not close: it does not wait for the listener, which may be blocked reading
                connection.abort(Runnable::run);
            } catch (SQLException e) {
                // closing anyway
            }
        }
        listener.interrupt();
        sequencer.interrupt();
        try {
            listener.join(Duration.ofSeconds(5));
            sequencer.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Numbers unnumbered revocations when asked, and every {@link #NUMBERING_INTERVAL} anyway. Requests that come
     * while a batch commits, or in the {@link #NUMBERING_PAUSE} after it, are served by the next batch: one WAL flush
     * for many refreshes.
     */
    private void number() {
        while (!closed) {
            try {
                toNumber.tryAcquire(NUMBERING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                toNumber.drainPermits();
                if (closed) {
                    break;
                }
                transactions.runStatement("numbering revocations", connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(NUMBER)) {
                        statement.executeQuery().close();
                    }
                    return null;
                });
                Thread.sleep(NUMBERING_PAUSE);
            } catch (InterruptedException e) {
                break;
            } catch (StoreUnavailableException e) {
                // the rows wait in the database; the next round numbers them
            }
        }
    }

    private boolean awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connectedSignal) {
            while (!connected) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    connectedSignal.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    private void listen() {
        Duration backoff = Duration.ofMillis(100);
        while (!closed) {
            try (Connection connection = database.dedicatedConnection()) {
                listening = connection;
                if (closed) {
                    break;
                }
                try (Statement statement = connection.createStatement()) {
                    // listen before reading, so that a revocation committed in between is heard or read
                    statement.execute("LISTEN " + CHANNEL);
                }
                flushPending(connection);
                catchUp(connection);
                if (!connected) {
                    LOGGER.log(System.Logger.Level.INFO, "Revocation listener connected; mirror holds "
                            + mirror.size() + " revoked ids");
                }
                setConnected(true);
                if (lost) {
                    lost = false;
                    events.emit(SecurityEvent.success(EventTypes.STORE).reason(Reasons.AVAILABLE).build());
                }
                backoff = Duration.ofMillis(100);
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!closed) {
                    // returns at the first notification, or after the interval; either way read what is new,
                    // which also proves that the connection lives (the notification itself carries only a seq)
                    pg.getNotifications((int) CATCH_UP_INTERVAL.toMillis());
                    flushPending(connection);
                    catchUp(connection);
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                if (connected) {
                    LOGGER.log(System.Logger.Level.WARNING, "Revocation listener lost the database (SQL state "
                            + (e instanceof SQLException sql ? sql.getSQLState() : e.getClass().getSimpleName())
                            + "); revocations reach this instance again once it returns");
                    lost = true;
                    events.emit(SecurityEvent.failure(EventTypes.STORE, Reasons.UNAVAILABLE)
                                        .detail("SQL state " + (e instanceof SQLException sql ? sql.getSQLState()
                                                : e.getClass().getSimpleName()))
                                        .build());
                }
                setConnected(false);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
        setConnected(false);
    }

    private void setConnected(boolean value) {
        synchronized (connectedSignal) {
            connected = value;
            connectedSignal.notifyAll();
        }
    }

    private void catchUp(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SINCE)) {
            statement.setLong(1, lastSeq);
            statement.setObject(2, Transactions.at(clock.instant()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    mirror.remember(rows.getString("jti"), Transactions.instant(rows, "forget_at"));
                    lastSeq = Math.max(lastSeq, rows.getLong("seq"));
                }
            }
        }
        lastCatchUp = clock.instant();
    }

    private void flushPending(Connection connection) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        List<Revocation> batch = new ArrayList<>();
        for (Revocation revocation : pending) {
            batch.add(revocation);
        }
        connection.setAutoCommit(false);
        try {
            record(connection, batch);
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        for (int i = 0; i < batch.size(); i++) {
            pending.poll();
            pendingCount.decrementAndGet();
        }
        LOGGER.log(System.Logger.Level.INFO, "Wrote " + batch.size() + " revocations made while the store was"
                + " unavailable");
    }

    /**
     * A revoked id and when it may be forgotten.
     *
     * @param jti      the access token's id
     * @param forgetAt its {@code exp} plus the leeway
     */
    record Revocation(String jti, Instant forgetAt) {
    }
}
