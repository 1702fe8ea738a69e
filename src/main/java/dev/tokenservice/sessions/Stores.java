package dev.tokenservice.sessions;

import java.time.Clock;
import java.time.Duration;

import dev.tokenservice.token.TokenSettings;

import io.helidon.config.Config;

/**
 * The one home of the state that every replica must share: refresh token families, revoked access token ids and
 * login failure counters. Grants and endpoints get their stores from here and never know which implementation
 * they talk to. Built from {@code app}; closed on shutdown.
 */
public final class Stores implements AutoCloseable {
    /** How long a failure counter outlives its last failure once its wait has ended. */
    private static final Duration FAILURE_RETENTION = Duration.ofHours(1);
    private static final int MAX_FAILURE_COUNTERS = 100_000;

    private final RefreshTokenStore refreshTokens;
    private final RevokedTokens revokedTokens;
    private final FailureCounters failureCounters;

    private Stores(RefreshTokenStore refreshTokens, RevokedTokens revokedTokens, FailureCounters failureCounters) {
        this.refreshTokens = refreshTokens;
        this.revokedTokens = revokedTokens;
        this.failureCounters = failureCounters;
    }

    /**
     * Builds the stores from configuration: in memory, for one process.
     *
     * @param app   the {@code app} configuration node
     * @param clock time source
     * @return stores
     */
    public static Stores create(Config app, Clock clock) {
        RevokedTokens revoked = new InMemoryRevokedTokens(clock, TokenSettings.CLOCK_SKEW);
        RefreshTokenStore refresh = new InMemoryRefreshTokenStore(
                RefreshTokenSettings.create(app.get("refresh-token")), revoked, clock);
        return new Stores(refresh, revoked,
                          new InMemoryFailureCounters(clock, FAILURE_RETENTION, MAX_FAILURE_COUNTERS));
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

    @Override
    public void close() {
        // nothing held outside the heap yet
    }
}
