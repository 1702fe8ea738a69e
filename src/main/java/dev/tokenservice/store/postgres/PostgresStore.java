package dev.tokenservice.store.postgres;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.SharedStore;
import dev.tokenservice.store.StorePurge;
import dev.tokenservice.store.StoreSettings;

/** The shared state of every replica, in the PostgreSQL database of {@code app.store.url}. */
public final class PostgresStore {
    private PostgresStore() {
    }

    /**
     * Connects, migrates the schema when asked to, and starts the revocation mirror.
     *
     * @param refresh   refresh token lifetimes and caps
     * @param clockSkew how long after its {@code exp} a token is still accepted, so its revocation is kept as long
     * @throws IllegalStateException when the database cannot be reached or migrated
     */
    public static SharedStore create(StoreSettings settings, RefreshTokenSettings refresh, Clock clock,
                                       Duration clockSkew) {
        PostgresDatabase database = PostgresDatabase.connect(settings);
        PostgresRevokedTokens revoked;
        try {
            revoked = PostgresRevokedTokens.start(database, clock, clockSkew,
                                                  settings.connectionTimeout().multipliedBy(5));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        PostgresRefreshTokenStore refreshTokens = new PostgresRefreshTokenStore(database, refresh, revoked, clock);
        PostgresFailureCounters failures = new PostgresFailureCounters(database, clock, SharedStore.FAILURE_RETENTION,
                                                                       SharedStore.MAX_FAILURE_COUNTERS);
        int batch = settings.purgeBatchSize();
        StorePurge purge = StorePurge.every(settings.purgeInterval().toMillis(),
                                            List.of(() -> refreshTokens.purgeExpired(batch),
                                                    () -> revoked.purgeExpired(batch),
                                                    () -> failures.purgeExpired(batch)));
        // closed in this order: no purge or listener uses the pool once it closes
        return new SharedStore(refreshTokens, revoked, failures,
                               () -> new SharedStore.Health("postgresql", revoked.current(), revoked.lastCatchUp()),
                               List.of(purge, revoked, database));
    }
}
