package dev.tokenservice.store;

import java.time.Duration;
import java.time.Instant;

/**
 * The one home of the state that every replica must share: refresh token families, revoked access token ids and
 * login failure counters. Grants and endpoints get their stores from here and never know which implementation they
 * talk to: in memory ({@code store.memory}, one process) or in PostgreSQL ({@code store.postgres}, every replica).
 * Expired entries are purged on a background thread; closed on shutdown.
 */
public interface SharedStore extends AutoCloseable {
    /** How long a failure counter outlives its last failure once its wait has ended. */
    Duration FAILURE_RETENTION = Duration.ofHours(1);
    /** The most failure counters kept; the oldest go first. */
    int MAX_FAILURE_COUNTERS = 100_000;

    /** Refresh token families. */
    RefreshTokenStore refreshTokens();

    /** Revoked access token ids. */
    RevokedTokens revokedTokens();

    /** Login failure counters. */
    FailureCounters failureCounters();

    /**
     * What readiness reports of the store.
     *
     * @return kind, and whether this instance currently hears from it
     */
    Health health();

    @Override
    void close();

    /**
     * The state of the store as readiness reports it.
     *
     * @param kind      {@code memory} or {@code postgresql}
     * @param connected whether this instance currently hears from the store (always for memory)
     * @param lastRead  when the revocation mirror last read the database; {@code null} for memory
     */
    record Health(String kind, boolean connected, Instant lastRead) {
    }
}
