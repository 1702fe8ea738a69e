package dev.tokenservice.token;

import java.time.Duration;

import dev.tokenservice.config.ConfigKeys;

import io.helidon.config.Config;

/**
 * What every access token says about its origin, lifetime and type ({@code app.token}).
 *
 * @param issuer   the {@code iss} claim, this service's identifier
 * @param audience the {@code aud} claim, the APIs that accept the tokens
 * @param ttl      lifetime of an access token
 * @param type     the {@code typ} header: {@value #ACCESS_TOKEN_TYPE} (RFC 9068), or {@code JWT} for verifiers
 *                 that refuse it
 */
public record TokenSettings(String issuer, String audience, Duration ttl, String type) {
    /** The media type of JWT access tokens, RFC 9068 §2.1. */
    public static final String ACCESS_TOKEN_TYPE = "at+jwt";
    /**
     * The clock skew allowed between replicas: how far {@code iat} and {@code nbf} may be ahead. Helidon's JWT
     * provider also allows it past {@code exp}; the access token rule does not.
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    /** Validates the settings. */
    public TokenSettings {
        if (issuer.isBlank() || audience.isBlank()) {
            throw new IllegalStateException("app.token.issuer and app.token.audience must not be empty");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalStateException("app.token.ttl must be positive, not " + ttl);
        }
        if (!type.equals(ACCESS_TOKEN_TYPE) && !type.equals("JWT")) {
            throw new IllegalStateException("app.token.type must be at+jwt or JWT, not " + type);
        }
    }

    /** The longest time a token stays usable after it is issued: its lifetime plus the verifier's clock skew. */
    public Duration validity() {
        return ttl.plus(CLOCK_SKEW);
    }

    /**
     * Whether a {@code typ} header marks an access token of this service: {@code at+jwt} or its media type form
     * always (RFC 9068 §4), {@code JWT} only where the service issues that for old verifiers.
     */
    public boolean acceptsType(String typ) {
        return typ.equals(ACCESS_TOKEN_TYPE) || typ.equals("application/" + ACCESS_TOKEN_TYPE) || typ.equals(type);
    }

    /** Reads the {@code app.token} node. */

    public static TokenSettings create(Config config) {
        return new TokenSettings(ConfigKeys.TOKEN_ISSUER.string(config),
                                 ConfigKeys.TOKEN_AUDIENCE.string(config),
                                 ConfigKeys.TOKEN_TTL.duration(config),
                                 ConfigKeys.TOKEN_TYPE.string(config));
    }
}
