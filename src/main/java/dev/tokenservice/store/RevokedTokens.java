package dev.tokenservice.store;

import java.time.Instant;

/**
 * The access tokens revoked before their expiry (RFC 7009), by {@code jti}. An entry is needed only while the
 * token could still be accepted, so implementations forget it once the token has expired.
 */
public interface RevokedTokens {
    /**
     * Revokes an access token: protected routes refuse it from now on.
     *
     * @param jti       the token's {@code jti}
     * @param expiresAt the token's {@code exp}
     */
    void revoke(String jti, Instant expiresAt);

    /**
     * Revokes an access token.
     *
     * @param token the token's id and expiry
     */
    default void revoke(AccessTokenId token) {
        revoke(token.jti(), token.expiresAt());
    }

    /**
     * Whether a token was revoked. Called on every request to a protected route, so it must be cheap.
     *
     * @param jti the token's {@code jti}
     * @return {@code true} if revoked
     */
    boolean isRevoked(String jti);

    /**
     * Whether this instance is known to hold every revocation committed so far, on any instance. A store shared
     * through a database is not while it cannot reach it; an answer that vouches for a token (introspection) then
     * waits for it.
     */
    default boolean current() {
        return true;
    }
}
