package dev.tokenservice.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.oauth.GrantTypes;
import dev.tokenservice.store.AccessTokenId;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;

/**
 * Issues signed access tokens with the key ring's active key, using {@code helidon-security-jwt}: JWTs (RFC 7519)
 * in the RFC 9068 profile, with header {@code typ: at+jwt} unless configured otherwise.
 * <p>
 * Two kinds: a user's token ({@code sub} the username, {@code client_id} the client it was issued through), and a
 * client's own token from the client credentials grant ({@code sub} and {@code client_id} both the client id,
 * RFC 9068 §2.2), which alone carries the claim {@value #CLIENT_TOKEN_CLAIM}{@code : "client_credentials"}. The
 * claim, not a comparison of {@code sub} with {@code client_id}, tells the two apart: a user may be named like a
 * client, and no user can add a claim to a signed token.
 */
public record TokenService(KeyRing keys, TokenSettings settings, Scopes scopes, Clock clock) {
    /**
     * The claim that marks a client's own token, with the grant type that issued it as its value (the name Auth0
     * gives the same claim; RFC 9068 defines none). User tokens never carry it.
     */
    public static final String CLIENT_TOKEN_CLAIM = "gty";
    /** The value of {@link #CLIENT_TOKEN_CLAIM} in a client's own token. */
    public static final String CLIENT_TOKEN = GrantTypes.CLIENT_CREDENTIALS;

    /**
     * Issues a user's access token.
     *
     * @return the token and what the token response says of it
     */
    public AccessToken issue(String subject, String clientId, Set<String> granted) {
        return issue(newId(), subject, clientId, granted);
    }

    /**
     * Issues a client's own access token (client credentials grant): no user, {@code sub} is the client id.
     *
     * @return the token and what the token response says of it
     */
    public AccessToken issueToClient(String clientId, Set<String> granted) {
        return issue(newId(), clientId, clientId, granted, true);
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
     * Issues a user's access token with an id from {@link #newId()}; it was issued one lifetime before its expiry.
     *
     * @param id       its {@code jti} and {@code exp}
     * @return the token and what the token response says of it
     */
    public AccessToken issue(AccessTokenId id, String subject, String clientId, Set<String> granted) {
        return issue(id, subject, clientId, granted, false);
    }

    private AccessToken issue(AccessTokenId id, String subject, String clientId, Set<String> granted,
                              boolean clientToken) {
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
        if (clientToken) {
            jwt.addPayloadClaim(CLIENT_TOKEN_CLAIM, CLIENT_TOKEN);
        }
        String token = SignedJwt.sign(jwt.build(), key).tokenContent();
        return new AccessToken(token, settings.ttl().toSeconds(), scope, id);
    }

    /** The token settings. */
    public TokenSettings settings() {
        return settings;
    }

    /**
     * An issued access token.
     *
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
