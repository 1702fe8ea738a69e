package dev.tokenservice.token;

import java.time.Duration;

import io.helidon.config.Config;

/**
 * What every access token says about its origin and lifetime ({@code app.token}).
 *
 * @param issuer   the {@code iss} claim, this service's identifier
 * @param audience the {@code aud} claim, the APIs that accept the tokens
 * @param ttl      lifetime of an access token
 */
public record TokenSettings(String issuer, String audience, Duration ttl) {
    /**
     * Validates the settings.
     */
    public TokenSettings {
        if (issuer.isBlank() || audience.isBlank()) {
            throw new IllegalStateException("app.token.issuer and app.token.audience must not be empty");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalStateException("app.token.ttl must be positive, not " + ttl);
        }
    }

    /**
     * Reads {@code app.token}.
     *
     * @param config the {@code app.token} node
     * @return settings
     */
    public static TokenSettings create(Config config) {
        return new TokenSettings(config.get("issuer").asString().get(),
                                 config.get("audience").asString().get(),
                                 config.get("ttl").as(Duration.class).orElse(Duration.ofMinutes(30)));
    }
}
