package dev.tokenservice.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tokenservice.store.FailureCounters;
import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.RefreshTokenStore;
import dev.tokenservice.store.RevokedTokens;
import dev.tokenservice.store.SharedStore;
import dev.tokenservice.store.StorePurge;
import dev.tokenservice.store.StoreSettings;

/** The shared state of one process, in memory: the embedded default, for development and tests. */
public final class MemoryStore implements SharedStore {
    private final InMemoryRefreshTokenStore refreshTokens;
    private final InMemoryRevokedTokens revokedTokens;
    private final InMemoryFailureCounters failureCounters;
    private final StorePurge purge;

    private MemoryStore(InMemoryRefreshTokenStore refreshTokens, InMemoryRevokedTokens revokedTokens,
                        InMemoryFailureCounters failureCounters, StorePurge purge) {
        this.refreshTokens = refreshTokens;
        this.revokedTokens = revokedTokens;
        this.failureCounters = failureCounters;
        this.purge = purge;
    }

    /**
     * Creates the store.
     *
     * @param refresh   refresh token lifetimes and caps
     * @param clockSkew how long after its {@code exp} a token is still accepted, so its revocation is kept as long
     */
    public static MemoryStore create(StoreSettings settings, RefreshTokenSettings refresh, Clock clock,
                                     Duration clockSkew) {
        InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, clockSkew);
        InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore(refresh, revoked, clock);
        InMemoryFailureCounters failures = new InMemoryFailureCounters(clock, FAILURE_RETENTION,
                                                                       MAX_FAILURE_COUNTERS);
        StorePurge purge = StorePurge.every(settings.purgeInterval().toMillis(),
                                            List.of(refreshTokens::purgeExpired, revoked::purgeExpired,
                                                    failures::purgeExpired));
        return new MemoryStore(refreshTokens, revoked, failures, purge);
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    @Override
    public RevokedTokens revokedTokens() {
        return revokedTokens;
    }

    @Override
    public FailureCounters failureCounters() {
        return failureCounters;
    }

    @Override
    public Health health() {
        return new Health("memory", true, null);
    }

    @Override
    public void close() {
        purge.close();
    }
}
