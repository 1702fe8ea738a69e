package dev.tokenservice.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one home of the state that every replica must share: refresh token families, revoked access token ids and
 * login failure counters. Grants and endpoints get their stores from here and never know which implementation they
 * talk to: in memory ({@code store.memory}, one process) or in PostgreSQL ({@code store.postgres}, every replica).
 * Expired entries are purged on a background thread; closed on shutdown.
 *
 * @param events      the table of the security events of every replica: only in a database, empty in memory
 * @param healthCheck what readiness reports of the store
 * @param resources   closed on shutdown, in this order
 */
public record SharedStore(RefreshTokenStore refreshTokens, RevokedTokens revokedTokens,
                          FailureCounters failureCounters, Optional<EventTable> events,
                          Supplier<Health> healthCheck, List<AutoCloseable> resources) implements AutoCloseable {
    /** How long a failure counter outlives its last failure once its wait has ended. */
    public static final Duration FAILURE_RETENTION = Duration.ofHours(1);
    /** The most failure counters kept; the oldest go first. */
    public static final int MAX_FAILURE_COUNTERS = 100_000;

    /** What readiness reports of the store. */
    public Health health() {
        return healthCheck.get();
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
