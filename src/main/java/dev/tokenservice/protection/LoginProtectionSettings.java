package dev.tokenservice.protection;

import java.time.Duration;

import dev.tokenservice.config.ConfigKeys;

import io.helidon.config.Config;

/** The settings of login throttling, {@code app.login-protection}: each is described in {@link ConfigKeys}. */
public record LoginProtectionSettings(boolean enabled, int threshold, int addressThreshold, Duration initialDelay,
                                      Duration maxDelay, Duration addressForgetting) {
    /** Checks the settings. */
    public LoginProtectionSettings {
        if (threshold < 1 || addressThreshold < 1) {
            throw new IllegalStateException("app.login-protection.threshold and address-threshold must be at least 1");
        }
        if (initialDelay.isNegative() || initialDelay.isZero() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalStateException("app.login-protection.initial-delay must be positive and max-delay at"
                                                    + " least as long");
        }
        if (addressForgetting.isNegative() || addressForgetting.isZero()) {
            throw new IllegalStateException("app.login-protection.address-forget-after must be positive");
        }
    }

    /** Reads the {@code app.login-protection} node; the defaults are those of the built-in {@code application.yaml}. */

    public static LoginProtectionSettings create(Config node) {
        return new LoginProtectionSettings(ConfigKeys.LOGIN_PROTECTION_ENABLED.bool(node),
                                           ConfigKeys.LOGIN_PROTECTION_THRESHOLD.integer(node),
                                           ConfigKeys.LOGIN_PROTECTION_ADDRESS_THRESHOLD.integer(node),
                                           ConfigKeys.LOGIN_PROTECTION_INITIAL_DELAY.duration(node),
                                           ConfigKeys.LOGIN_PROTECTION_MAX_DELAY.duration(node),
                                           ConfigKeys.LOGIN_PROTECTION_ADDRESS_FORGET_AFTER.duration(node));
    }

    /**
     * The wait after a number of consecutive failures: none below the threshold, then the initial delay, doubled
     * with each further failure up to the maximum.
     *
     * @param threshold the threshold of the key's kind
     */
    public Duration delay(int failures, int threshold) {
        if (failures < threshold) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failures - threshold, 40);
        Duration delay = initialDelay;
        for (int i = 0; i < doublings && delay.compareTo(maxDelay) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
