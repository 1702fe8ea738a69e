package dev.tokenservice.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.tokenservice.store.RefreshTokenSettings;
import dev.tokenservice.store.SharedStore;
import dev.tokenservice.store.StorePurge;
import dev.tokenservice.store.StoreSettings;

/** The shared state of one process, in memory: the embedded default, for development and tests. */
public final class MemoryStore {
    private MemoryStore() {
    }

    /**
     * Creates the store.
     *
     * @param refresh   refresh token lifetimes and caps
     * @param clockSkew how long after its {@code exp} a token is still accepted, so its revocation is kept as long
     */
    public static SharedStore create(StoreSettings settings, RefreshTokenSettings refresh, Clock clock,
                                     Duration clockSkew) {
        InMemoryRevokedTokens revoked = new InMemoryRevokedTokens(clock, clockSkew);
        InMemoryRefreshTokenStore refreshTokens = new InMemoryRefreshTokenStore(refresh, revoked, clock);
        InMemoryFailureCounters failures = new InMemoryFailureCounters(clock, SharedStore.FAILURE_RETENTION,
                                                                       SharedStore.MAX_FAILURE_COUNTERS);
        StorePurge purge = StorePurge.every(settings.purgeInterval().toMillis(),
                                            List.of(refreshTokens::purgeExpired, revoked::purgeExpired,
                                                    failures::purgeExpired));
        return new SharedStore(refreshTokens, revoked, failures, Optional.empty(),
                               () -> new SharedStore.Health("memory", true, null), List.of(purge));
    }
}
