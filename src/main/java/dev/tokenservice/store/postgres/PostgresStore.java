package dev.tokenservice.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.tokenservice.events.SecurityEvent;
import dev.tokenservice.store.EventTable;
import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.SharedStore;
import dev.tokenservice.store.StoreEvents;
import dev.tokenservice.store.StorePurge;
import dev.tokenservice.store.StoreSettings;

/** The shared state of every replica, in the PostgreSQL database of {@code app.store.url}. */
public final class PostgresStore {
    private PostgresStore() {
    }

    /** Connects, migrates the schema when asked to, and starts the revocation mirror; keeps no security events. */
    public static SharedStore create(StoreSettings settings, RefreshTokenSettings refresh, Clock clock,
                                     Duration clockSkew) {
        return create(settings, refresh, clock, clockSkew, StoreEvents.NONE);
    }

    /**
     * Connects, migrates the schema when asked to, starts the revocation mirror and, when events are kept, the
     * writer of the security event table.
     *
     * @param refresh   refresh token lifetimes and caps
     * @param clockSkew how long after its {@code exp} a token is still accepted, so its revocation is kept as long
     * @param events    where the store reports its availability, and the event table's retention
     * @throws IllegalStateException when the database cannot be reached or migrated
     */
    public static SharedStore create(StoreSettings settings, RefreshTokenSettings refresh, Clock clock,
                                     Duration clockSkew, StoreEvents events) {
        PostgresDatabase database = PostgresDatabase.connect(settings);
        PostgresRevokedTokens revoked;
        try {
            revoked = PostgresRevokedTokens.start(database, clock, clockSkew,
                                                  settings.connectionTimeout().multipliedBy(5), events.sink());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        PostgresRefreshTokenStore refreshTokens = new PostgresRefreshTokenStore(database, refresh, revoked, clock);
        PostgresFailureCounters failures = new PostgresFailureCounters(database, clock, SharedStore.FAILURE_RETENTION,
                                                                       SharedStore.MAX_FAILURE_COUNTERS);
        int batch = settings.purgeBatchSize();
        PostgresEventTable table = events.kept()
                ? new PostgresEventTable(database, clock, events.retention(), events.queueSize(), events.unwritten())
                : null;
        List<Runnable> purges = new ArrayList<>(List.of(() -> refreshTokens.purgeExpired(batch),
                                                        () -> revoked.purgeExpired(batch),
                                                        () -> failures.purgeExpired(batch)));
        if (table != null) {
            purges.add(() -> table.purgeExpired(batch));
        }
        StorePurge purge = StorePurge.every(settings.purgeInterval().toMillis(), purges);
        // closed in this order: no purge, listener or writer uses the pool once it closes
        List<AutoCloseable> resources = new ArrayList<>(List.of(purge, revoked));
        if (table != null) {
            resources.add(table);
        }
        resources.add(database);
        return new SharedStore(refreshTokens, revoked, failures, Optional.ofNullable(table),
                               () -> new SharedStore.Health("postgresql", revoked.current(), revoked.lastCatchUp()),
                               List.copyOf(resources));
    }

    /**
     * The security event table of a database, for reading only (the events command): no mirror, no purge, no
     * migration.
     *
     * @return the table; closing it closes its connections
     * @throws IllegalStateException when the database cannot be reached
     */
    public static EventTable eventReader(StoreSettings settings) {
        StoreSettings reading = new StoreSettings(settings.url(), settings.username(), settings.password(), false, 2,
                                                  settings.connectionTimeout(), settings.purgeInterval(),
                                                  settings.purgeBatchSize());
        PostgresDatabase database = PostgresDatabase.connect(reading);
        PostgresEventTable table = new PostgresEventTable(database, Clock.systemUTC(), Duration.ZERO, 0,
                                                          count -> { });
        return new EventTable() {
            @Override
            public void offer(SecurityEvent event) {
                throw new UnsupportedOperationException("read only");
            }

            @Override
            public List<SecurityEvent> read(Query query) {
                return table.read(query);
            }

            @Override
            public void flush() {
                // nothing is written through a reader
            }

            @Override
            public void close() {
                table.close();
                database.close();
            }
        };
    }
}
