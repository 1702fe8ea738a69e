package dev.tokenservice.sessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Revoked access token ids in a {@link ConcurrentHashMap}: {@link #isRevoked(String)} is one hash lookup. Each id
 * is kept until its token's {@code exp} plus the clock skew that the resource server still accepts, then purged
 * (at most once a minute, by the caller that finds a purge due), so the map holds only the revocations of the
 * last access-token lifetime.
 */
public final class InMemoryRevokedTokens implements RevokedTokens {
    private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

    private final ConcurrentHashMap<String, Instant> forgetAt = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration leeway;
    private final PurgeSchedule purge;

    /**
     * Creates the store.
     *
     * @param clock  time source
     * @param leeway how long after {@code exp} a token is still accepted by the resource server (clock skew)
     */
    public InMemoryRevokedTokens(Clock clock, Duration leeway) {
        this.clock = clock;
        this.leeway = leeway;
        this.purge = new PurgeSchedule(clock, PURGE_INTERVAL);
    }

    @Override
    public void revoke(String jti, Instant expiresAt) {
        purgeIfDue();
        Instant until = expiresAt.plus(leeway);
        if (until.isAfter(clock.instant())) {
            forgetAt.merge(jti, until, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    @Override
    public boolean isRevoked(String jti) {
        purgeIfDue();
        return forgetAt.containsKey(jti);
    }

    /**
     * Removes the ids of tokens that have expired.
     */
    public void purgeExpired() {
        Instant now = clock.instant();
        forgetAt.values().removeIf(until -> !until.isAfter(now));
    }

    /**
     * The number of ids held.
     *
     * @return size
     */
    public int size() {
        return forgetAt.size();
    }

    private void purgeIfDue() {
        if (purge.due()) {
            purgeExpired();
        }
    }
}
