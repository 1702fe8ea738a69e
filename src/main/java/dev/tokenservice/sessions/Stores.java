package dev.tokenservice.sessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.tokenservice.token.TokenSettings;

import io.helidon.config.Config;

/**
 * The one home of the state that every replica must share: refresh token families, revoked access token ids and
 * login failure counters. Grants and endpoints get their stores from here and never know which implementation
 * they talk to. Built from {@code app}: in memory when {@code app.store.url} is absent or empty, else in
 * PostgreSQL. Expired entries are purged on a background thread; closed on shutdown.
 */
public final class Stores implements AutoCloseable {
    /** How long a failure counter outlives its last failure once its wait has ended. */
    private static final Duration FAILURE_RETENTION = Duration.ofHours(1);
    private static final int MAX_FAILURE_COUNTERS = 100_000;

    private final RefreshTokenStore refreshTokens;
    private final RevokedTokens revokedTokens;
    private final FailureCounters failureCounters;
    private final List<AutoCloseable> resources;
    private final String kind;

    private Stores(String kind, RefreshTokenStore refreshTokens, RevokedTokens revokedTokens,
                   FailureCounters failureCounters, List<AutoCloseable> resources) {
        this.kind = kind;
        this.refreshTokens = refreshTokens;
        this.revokedTokens = revokedTokens;
        this.failureCounters = failureCounters;
        this.resources = resources;
    }

    /**
     * Builds the stores from configuration.
     *
     * @param app   the {@code app} configuration node
     * @param clock time source
     * @return stores
     * @throws IllegalStateException when the configured database cannot be reached or migrated
     */
    public static Stores create(Config app, Clock clock) {
        StoreSettings settings = StoreSettings.create(app.get("store"));
        RefreshTokenSettings refresh = RefreshTokenSettings.create(app.get("refresh-token"));
        if (settings.url().isEmpty()) {
            return inMemory(settings, refresh, clock);
        }
        return postgres(settings, refresh, clock);
    }

    private static Stores inMemory(StoreSettings settings, RefreshTokenSettings refresh, Clock clock) {
        InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, TokenSettings.CLOCK_SKEW);
        InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore(refresh, revoked, clock);
        InMemoryFailureCounters failures = new InMemoryFailureCounters(clock, FAILURE_RETENTION,
                                                                       MAX_FAILURE_COUNTERS);
        StorePurge purge = StorePurge.every(settings.purgeInterval().toMillis(),
                                            List.of(refreshTokens::purgeExpired, revoked::purgeExpired,
                                                    failures::purgeExpired));
        return new Stores("memory", refreshTokens, revoked, failures, List.of(purge));
    }

    private static Stores postgres(StoreSettings settings, RefreshTokenSettings refresh, Clock clock) {
        PostgresDatabase database = PostgresDatabase.connect(settings);
        PostgresRevokedTokens revoked;
        try {
            revoked = PostgresRevokedTokens.start(database, clock, TokenSettings.CLOCK_SKEW,
                                                  settings.connectionTimeout().multipliedBy(5));
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        PostgresRefreshTokenStore refreshTokens = new PostgresRefreshTokenStore(database, refresh, revoked, clock);
        PostgresFailureCounters failures = new PostgresFailureCounters(database, clock, FAILURE_RETENTION,
                                                                       MAX_FAILURE_COUNTERS);
        int batch = settings.purgeBatchSize();
        StorePurge purge = StorePurge.every(settings.purgeInterval().toMillis(),
                                            List.of(() -> refreshTokens.purgeExpired(batch),
                                                    () -> revoked.purgeExpired(batch),
                                                    () -> failures.purgeExpired(batch)));
        // closed in this order: no purge or listener uses the pool once it closes
        return new Stores("postgresql", refreshTokens, revoked, failures, List.of(purge, revoked, database));
    }

    /**
     * Refresh token families.
     *
     * @return store
     */
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    /**
     * Revoked access token ids.
     *
     * @return store
     */
    public RevokedTokens revokedTokens() {
        return revokedTokens;
    }

    /**
     * Login failure counters.
     *
     * @return store
     */
    public FailureCounters failureCounters() {
        return failureCounters;
    }

    /**
     * What readiness reports of the store.
     *
     * @return kind, and whether this instance currently hears from it
     */
    public Health health() {
        Instant lastRead = revokedTokens instanceof PostgresRevokedTokens postgres ? postgres.lastCatchUp() : null;
        return new Health(kind, revokedTokens.current(), lastRead);
    }

    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing on shutdown: nothing left to do about it
            }
        }
    }

    /**
     * The state of the store as readiness reports it.
     *
     * @param kind      {@code memory} or {@code postgresql}
     * @param connected whether this instance currently hears from the store (always for memory)
     * @param lastRead  when the revocation mirror last read the database; {@code null} for memory
     */
    public record Health(String kind, boolean connected, Instant lastRead) {
    }
}
