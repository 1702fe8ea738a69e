package dev.tokenservice.store.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import dev.tokenservice.store.RevokedTokens;

/**
 * Revoked access token ids in a {@link ConcurrentHashMap}: {@link #isRevoked(String)} is one hash lookup. Each id
 * is kept until its token's {@code exp} plus the clock skew that the resource server still accepts, then purged by
 * {@link #purgeExpired()}, which the store's purge runs off the request path, so the map holds only the revocations
 * of the last access-token lifetime. The PostgreSQL store keeps one of these as the mirror that requests read.
 */
public final class InMemoryRevokedTokens implements RevokedTokens {
    private final ConcurrentHashMap<String, Instant> forgetAt = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration leeway;

    /**
     * Creates the store.
     *
     * @param leeway how long after {@code exp} a token is still accepted by the resource server (clock skew)
     */
    public InMemoryRevokedTokens(Clock clock, Duration leeway) {
        this.clock = clock;
        this.leeway = leeway;
    }

    @Override
    public void revoke(String jti, Instant expiresAt) {
        remember(jti, forgetAt(expiresAt));
    }

    @Override
    public boolean isRevoked(String jti) {
        return forgetAt.containsKey(jti);
    }

    /**
     * When the id of a token expiring at {@code expiresAt} may be forgotten.
     *
     * @param expiresAt the token's {@code exp}
     * @return {@code exp} plus the leeway
     */
    public Instant forgetAt(Instant expiresAt) {
        return expiresAt.plus(leeway);
    }

    /**
     * Holds an id until a given time, unless that time has passed.
     *
     * @param until when it may be forgotten
     */
    public void remember(String jti, Instant until) {
        if (until.isAfter(clock.instant())) {
            forgetAt.merge(jti, until, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** Removes the ids of tokens that have expired. */
    public void purgeExpired() {
        Instant now = clock.instant();
        forgetAt.values().removeIf(until -> !until.isAfter(now));
    }

    /** The number of ids held. */
    public int size() {
        return forgetAt.size();
    }
}
