package dev.tokenservice.keys;

import java.util.Map;
import java.util.Optional;

import io.helidon.security.jwt.jwk.Jwk;

import jakarta.json.JsonObject;

/**
 * The public side of one key set: the keys that verify tokens, and the JWK set that publishes them. An RSA or EC key
 * here is its public part only, parsed from the published members; an HMAC key, which cannot be split, is the shared
 * secret itself and is never published. Immutable: a new key set makes a new instance, so its identity tells key sets
 * apart.
 */
public final class PublicKeys {
    private final Map<String, Jwk> verificationKeys;
    private final JsonObject jwks;

    PublicKeys(Map<String, Jwk> verificationKeys, JsonObject jwks) {
        this.verificationKeys = Map.copyOf(verificationKeys);
        this.jwks = jwks;
    }

    /**
     * The key that verifies tokens of a {@code kid}.
     *
     * @return the key, without a private part
     */
    public Optional<Jwk> verificationKey(String kid) {
        return Optional.ofNullable(verificationKeys.get(kid));
    }

    /**
     * The public JWK set (RFC 7517 §5) for {@code /.well-known/jwks.json}: the public members of the asymmetric
     * keys, copied from an allow-list, so no private or symmetric key material can appear.
     */
    public JsonObject jwks() {
        return jwks;
    }
}
