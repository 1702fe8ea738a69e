package dev.tokenservice.store;

import java.time.Duration;

import dev.tokenservice.config.ConfigKeys;
import dev.tokenservice.config.HumanDuration;

import io.helidon.config.Config;

/**
 * Lifetimes and caps of refresh tokens ({@code app.refresh-token}), each described in {@link ConfigKeys}. Each
 * refresh starts a new idle period (RFC 9700 §4.14.2: refresh tokens should expire when the client is inactive).
 */
public record RefreshTokenSettings(Duration idleTtl, Duration absoluteTtl, int maxSessionsPerUser,
                                   int maxUsedTokensPerSession, int maxAccessTokensPerSession) {
    /** Settings with the default caps. */
    public RefreshTokenSettings(Duration idleTtl, Duration absoluteTtl) {
        this(idleTtl, absoluteTtl, ConfigKeys.REFRESH_MAX_SESSIONS_PER_USER.integer(Config.empty()),
             ConfigKeys.REFRESH_MAX_USED_TOKENS_PER_SESSION.integer(Config.empty()),
             ConfigKeys.REFRESH_MAX_ACCESS_TOKENS_PER_SESSION.integer(Config.empty()));
    }

    /** Validates the settings. */
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

    /** Reads the {@code app.refresh-token} node. */

    public static RefreshTokenSettings create(Config config) {
        return new RefreshTokenSettings(ConfigKeys.REFRESH_IDLE_TTL.duration(config),
                                        ConfigKeys.REFRESH_ABSOLUTE_TTL.duration(config),
                                        ConfigKeys.REFRESH_MAX_SESSIONS_PER_USER.integer(config),
                                        ConfigKeys.REFRESH_MAX_USED_TOKENS_PER_SESSION.integer(config),
                                        ConfigKeys.REFRESH_MAX_ACCESS_TOKENS_PER_SESSION.integer(config));
    }
}
