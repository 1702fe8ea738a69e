package dev.tokenservice.token;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.tokenservice.keys.KeyRing;
import dev.tokenservice.sessions.RevokedTokens;
import dev.tokenservice.users.User;
import dev.tokenservice.users.UserStore;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;

import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Decides whether a string is an active access token of this service, for revocation (RFC 7009) and introspection
 * (RFC 7662): signed by a key of the key ring with that key's own algorithm, typed as an access token (RFC 9068),
 * from this issuer, for this audience, not expired, not revoked, and of a user who may still use tokens.
 * <p>
 * The protected routes check the same through Helidon's JWT provider ({@code api.AccessTokenProvider}); this class
 * is the check outside a security context, in one place. It never uses {@code SignedJwt.verifySignature}, which
 * accepts {@code alg: none} for a token without {@code kid}: the {@code kid} picks the key and the key fixes the
 * algorithm (RFC 8725 §3.1). No clock skew is allowed past {@code exp}: an introspection answer must not outlive
 * the token.
 */
public final class AccessTokenVerifier {
    /** Far longer than any token this service issues; anything longer is not parsed. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private final KeyRing keys;
    private final TokenSettings settings;
    private final RevokedTokens revoked;
    private final UserStore users;
    private final Clock clock;

    /**
     * Creates the verifier.
     *
     * @param keys     key ring
     * @param settings issuer and audience
     * @param revoked  revoked access tokens
     * @param users    user store, to refuse tokens of users disabled or removed since
     * @param clock    time source
     */
    public AccessTokenVerifier(KeyRing keys, TokenSettings settings, RevokedTokens revoked, UserStore users,
                               Clock clock) {
        this.keys = keys;
        this.settings = settings;
        this.revoked = revoked;
        this.users = users;
        this.clock = clock;
    }

    /**
     * Verifies a token.
     *
     * @param token anything a client sent
     * @return its claims when it is an active access token of this service, else empty
     */
    public Optional<AccessTokenClaims> verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        try {
            SignedJwt signed = SignedJwt.parseToken(token);
            Jwt jwt = signed.getJwt();
            if (!signatureValid(signed, jwt)
                    || !jwt.type().map(settings::acceptsType).orElse(false)
                    || jwt.notBefore().filter(clock.instant()::isBefore).isPresent()) {
                return Optional.empty();
            }
            return claims(jwt).filter(this::active);
        } catch (RuntimeException e) {
            // not a JWT, or a claim of the wrong type: not ours either way
            return Optional.empty();
        }
    }

    private boolean signatureValid(SignedJwt signed, Jwt jwt) {
        String alg = jwt.algorithm().orElse(null);
        Jwk key = jwt.keyId().flatMap(keys.current()::key).orElse(null);
        if (alg == null || key == null || Jwk.ALG_NONE.equals(alg) || !alg.equals(key.algorithm())) {
            return false;
        }
        return key.verifySignature(signed.getSignedBytes(), signed.getSignature());
    }

    private Optional<AccessTokenClaims> claims(Jwt jwt) {
        Optional<String> subject = jwt.subject();
        Optional<String> jti = jwt.jwtId();
        Optional<Instant> expiresAt = jwt.expirationTime();
        Optional<String> issuer = jwt.issuer();
        List<String> audience = jwt.audience().orElse(List.of());
        if (subject.isEmpty() || jti.isEmpty() || expiresAt.isEmpty() || issuer.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AccessTokenClaims(subject.get(),
                                                 string(jwt.payloadClaim("client_id")),
                                                 Optional.ofNullable(string(jwt.payloadClaim("scope"))).orElse(""),
                                                 jwt.issueTime().orElse(null),
                                                 expiresAt.get(),
                                                 issuer.get(),
                                                 audience,
                                                 jti.get()));
    }

    private boolean active(AccessTokenClaims claims) {
        Instant now = clock.instant();
        return claims.issuer().equals(settings.issuer())
                && claims.audience().contains(settings.audience())
                && now.isBefore(claims.expiresAt())
                && !revoked.isRevoked(claims.jti())
                && users.find(claims.subject()).filter(User::active).isPresent();
    }

    private static String string(Optional<JsonValue> value) {
        return value.filter(JsonString.class::isInstance).map(v -> ((JsonString) v).getString()).orElse(null);
    }
}
