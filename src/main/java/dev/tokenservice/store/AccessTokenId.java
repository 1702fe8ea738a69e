package dev.tokenservice.store;

import java.time.Instant;

/**
 * What identifies an issued access token for revocation: its {@code jti} and its {@code exp}, after which it
 * needs no remembering.
 *
 * @param jti       the token's {@code jti} claim
 * @param expiresAt the token's {@code exp} claim
 */
public record AccessTokenId(String jti, Instant expiresAt) {
}
