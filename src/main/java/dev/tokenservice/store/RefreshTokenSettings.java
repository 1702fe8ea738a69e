package dev.tokenservice.store;

import java.time.Duration;

import dev.tokenservice.config.HumanDuration;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * Lifetimes and caps of refresh tokens ({@code app.refresh-token}).
 *
 * @param idleTtl                 how long a refresh token stays valid unused; each refresh starts a new idle
 *                                period (RFC 9700 §4.14.2: refresh tokens should expire when the client has been
 *                                inactive)
 * @param absoluteTtl             how long a family lives from the login, however often it is refreshed; after it
 *                                the user logs in again
 * @param maxSessionsPerUser      live families a user may have; a login beyond it revokes the user's oldest
 * @param maxUsedTokensPerSession used tokens a family remembers for reuse detection; an older one is refused as
 *                                unknown, without revoking the family
 * @param maxAccessTokensPerSession live access tokens a family remembers for revocation; a refresh beyond it
 *                                revokes the oldest
 */
public record RefreshTokenSettings(Duration idleTtl, Duration absoluteTtl, int maxSessionsPerUser,
                                   int maxUsedTokensPerSession, int maxAccessTokensPerSession) {
    /** A week: a client used weekly, or back after a weekend or a short holiday, stays logged in. */
    public static final Duration DEFAULT_IDLE_TTL = Duration.ofDays(7);
    /** Thirty days: the password is asked for at least monthly. */
    public static final Duration DEFAULT_ABSOLUTE_TTL = Duration.ofDays(30);
    /** Enough for every browser and device of one person, not for one script logging in in a loop. */
    public static final int DEFAULT_MAX_SESSIONS_PER_USER = 50;
    /** A stolen token is typically replayed within a few refreshes of the theft. */
    public static final int DEFAULT_MAX_USED_TOKENS_PER_SESSION = 20;
    /** Far more than a client that refreshes when its access token expires ever holds. */
    public static final int DEFAULT_MAX_ACCESS_TOKENS_PER_SESSION = 50;

    /**
     * Settings with the default caps.
     *
     * @param idleTtl     idle lifetime
     * @param absoluteTtl absolute lifetime
     */
    public RefreshTokenSettings(Duration idleTtl, Duration absoluteTtl) {
        this(idleTtl, absoluteTtl, DEFAULT_MAX_SESSIONS_PER_USER, DEFAULT_MAX_USED_TOKENS_PER_SESSION,
             DEFAULT_MAX_ACCESS_TOKENS_PER_SESSION);
    }

    /**
     * Validates the settings.
     */
    public RefreshTokenSettings {
        if (maxSessionsPerUser < 1 || maxUsedTokensPerSession < 1 || maxAccessTokensPerSession < 1) {
            throw new IllegalStateException("app.refresh-token.max-sessions-per-user, max-used-tokens-per-session"
                                                    + " and max-access-tokens-per-session must be at least 1");
        }
        if (idleTtl.isNegative() || idleTtl.isZero() || absoluteTtl.isNegative() || absoluteTtl.isZero()) {
            throw new IllegalStateException("app.refresh-token.idle-ttl and absolute-ttl must be positive, not "
                                                    + HumanDuration.of(idleTtl) + " and "
                                                    + HumanDuration.of(absoluteTtl));
        }
        if (idleTtl.compareTo(absoluteTtl) > 0) {
            throw new IllegalStateException("app.refresh-token.idle-ttl: " + HumanDuration.of(idleTtl)
                                                    + " is longer than app.refresh-token.absolute-ttl ("
                                                    + HumanDuration.of(absoluteTtl) + ")");
        }
    }

    /**
     * Reads {@code app.refresh-token}.
     *
     * @param config the {@code app.refresh-token} node
     * @return settings
     */
    public static RefreshTokenSettings create(Config config) {
        return new RefreshTokenSettings(duration(config, "idle-ttl", DEFAULT_IDLE_TTL),
                                        duration(config, "absolute-ttl", DEFAULT_ABSOLUTE_TTL),
                                        count(config, "max-sessions-per-user", DEFAULT_MAX_SESSIONS_PER_USER),
                                        count(config, "max-used-tokens-per-session",
                                              DEFAULT_MAX_USED_TOKENS_PER_SESSION),
                                        count(config, "max-access-tokens-per-session",
                                              DEFAULT_MAX_ACCESS_TOKENS_PER_SESSION));
    }

    private static int count(Config config, String key, int defaultValue) {
        try {
            return config.get(key).asInt().orElse(defaultValue);
        } catch (ConfigException e) {
            throw new IllegalStateException("app.refresh-token." + key + " is not a whole number");
        }
    }

    private static Duration duration(Config config, String key, Duration defaultValue) {
        try {
            return config.get(key).as(Duration.class).orElse(defaultValue);
        } catch (ConfigException e) {
            throw new IllegalStateException("app.refresh-token." + key + " is not an ISO-8601 duration such as P7D");
        }
    }
}
