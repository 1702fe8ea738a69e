package dev.tokenservice.sessions;

import java.time.Duration;

import io.helidon.config.Config;
import io.helidon.config.ConfigException;

/**
 * Lifetimes of refresh tokens ({@code app.refresh-token}).
 *
 * @param idleTtl     how long a refresh token stays valid unused; each refresh starts a new idle period
 *                    (RFC 9700 §4.14.2: refresh tokens should expire when the client has been inactive)
 * @param absoluteTtl how long a family lives from the login, however often it is refreshed; after it the user
 *                    logs in again
 */
public record RefreshTokenSettings(Duration idleTtl, Duration absoluteTtl) {
    /** A week: a client used weekly, or back after a weekend or a short holiday, stays logged in. */
    public static final Duration DEFAULT_IDLE_TTL = Duration.ofDays(7);
    /** Thirty days: the password is asked for at least monthly. */
    public static final Duration DEFAULT_ABSOLUTE_TTL = Duration.ofDays(30);

    /**
     * Validates the settings.
     */
    public RefreshTokenSettings {
        if (idleTtl.isNegative() || idleTtl.isZero() || absoluteTtl.isNegative() || absoluteTtl.isZero()) {
            throw new IllegalStateException("app.refresh-token.idle-ttl and absolute-ttl must be positive, not "
                                                    + idleTtl + " and " + absoluteTtl);
        }
        if (idleTtl.compareTo(absoluteTtl) > 0) {
            throw new IllegalStateException("app.refresh-token.idle-ttl (" + idleTtl + ") is longer than"
                                                    + " app.refresh-token.absolute-ttl (" + absoluteTtl + ")");
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
                                        duration(config, "absolute-ttl", DEFAULT_ABSOLUTE_TTL));
    }

    private static Duration duration(Config config, String key, Duration defaultValue) {
        try {
            return config.get(key).as(Duration.class).orElse(defaultValue);
        } catch (ConfigException e) {
            throw new IllegalStateException("app.refresh-token." + key + " is not an ISO-8601 duration such as P7D");
        }
    }
}
