package dev.tokenservice.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The claims of an access token that {@link AccessTokenVerifier} found active.
 *
 * @param subject   {@code sub}, the username
 * @param clientId  {@code client_id}, {@code null} in tokens issued before clients existed
 * @param scope     {@code scope}, space-delimited, empty when none
 * @param issuedAt  {@code iat}, {@code null} when absent
 * @param expiresAt {@code exp}
 * @param issuer    {@code iss}
 * @param audience  {@code aud}
 * @param jti       {@code jti}
 */
public record AccessTokenClaims(String subject, String clientId, String scope, Instant issuedAt, Instant expiresAt,
                                String issuer, List<String> audience, String jti) {
    /**
     * Creates the claims.
     */
    public AccessTokenClaims {
        audience = List.copyOf(audience);
    }

    /**
     * The client the token was issued to.
     *
     * @return client id
     */
    public Optional<String> client() {
        return Optional.ofNullable(clientId);
    }

    /**
     * The issue time.
     *
     * @return {@code iat}
     */
    public Optional<Instant> issued() {
        return Optional.ofNullable(issuedAt);
    }
}
