package dev.tokenservice.token;

import java.util.Optional;

/**
 * Whether a token handed to an endpoint (introspection, revocation) is a valid access token now: the protected
 * routes' bearer path, so that every endpoint decides as they do.
 */
@FunctionalInterface
public interface AccessTokenCheck {
    /**
     * Checks a token.
     *
     * @return its claims when it is a valid access token of this service now, else empty
     */
    Optional<AccessTokenClaims> verify(String token);
}
