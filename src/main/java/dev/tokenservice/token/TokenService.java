package dev.tokenservice.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.sessions.AccessTokenId;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;

/**
 * Issues signed access tokens with the key ring's active key, using {@code helidon-security-jwt}: JWTs (RFC 7519)
 * in the RFC 9068 profile, with header {@code typ: at+jwt} unless configured otherwise.
 */
public final class TokenService {
    private final KeyRing keys;
    private final TokenSettings settings;
    private final Scopes scopes;
    private final Clock clock;

    /**
     * Creates the service.
     *
     * @param keys     key ring
     * @param settings issuer, audience, lifetime
     * @param scopes   defined scopes, for the order of the {@code scope} claim
     * @param clock    time source
     */
    public TokenService(KeyRing keys, TokenSettings settings, Scopes scopes, Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.scopes = scopes;
        this.clock = clock;
    }

    /**
     * Issues an access token.
     *
     * @param subject  the user
     * @param clientId the client it is issued to
     * @param granted  granted scopes
     * @return the token and what the token response says of it
     */
    public AccessToken issue(String subject, String clientId, Set<String> granted) {
        return issue(newId(), subject, clientId, granted);
    }

    /**
     * The id and expiry of an access token about to be issued, for a store to record before it is signed: a grant
     * records it in the same transaction as the refresh token it comes with.
     *
     * @return a new {@code jti}, and an {@code exp} one lifetime from now
     */
    public AccessTokenId newId() {
        return new AccessTokenId(UUID.randomUUID().toString(), clock.instant().plus(settings.ttl()));
    }

    /**
     * Issues an access token with an id from {@link #newId()}; it was issued one lifetime before its expiry.
     *
     * @param id       its {@code jti} and {@code exp}
     * @param subject  the user
     * @param clientId the client it is issued to
     * @param granted  granted scopes
     * @return the token and what the token response says of it
     */
    public AccessToken issue(AccessTokenId id, String subject, String clientId, Set<String> granted) {
        Jwk key = keys.signingKey();
        Instant now = id.expiresAt().minus(settings.ttl());
        String scope = scopes.format(granted);
        Jwt.Builder jwt = Jwt.builder()
                // Jwt.builder does not take these from the key: without them the header has no alg or kid
                .algorithm(key.algorithm())
                .keyId(key.keyId())
                .type(settings.type())
                .issuer(settings.issuer())
                .subject(subject)
                .audience(List.of(settings.audience()))
                .issueTime(now)
                .expirationTime(id.expiresAt())
                .jwtId(id.jti());
        if (!scope.isEmpty()) {
            jwt.addPayloadClaim("scope", scope);
        }
        // RFC 9068 §2.2; revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.2) need it
        jwt.addPayloadClaim("client_id", clientId);
        String token = SignedJwt.sign(jwt.build(), key).tokenContent();
        return new AccessToken(token, settings.ttl().toSeconds(), scope, id);
    }

    /**
     * The token settings.
     *
     * @return settings
     */
    public TokenSettings settings() {
        return settings;
    }

    /**
     * An issued access token.
     *
     * @param token     the compact JWS
     * @param expiresIn lifetime in seconds
     * @param scope     granted scope, space-delimited
     * @param id        its {@code jti} and {@code exp}, for revocation records
     */
    public record AccessToken(String token, long expiresIn, String scope, AccessTokenId id) {
        @Override
        public String toString() {
            return "AccessToken[expiresIn=" + expiresIn + ", scope=" + scope + "]";
        }
    }
}
