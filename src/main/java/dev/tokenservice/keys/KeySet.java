package dev.tokenservice.keys;

import java.io.StringReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.helidon.security.jwt.jwk.JwkRSA;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * An immutable, validated JWK set (RFC 7517) with one active signing key.
 * <p>
 * Every key must name its {@code alg}, so that a token is only ever verified with the algorithm bound to its
 * {@code kid} (RFC 8725 §3.1). The active key is named by configuration or by the set's own {@code active_kid}
 * member (RFC 7517 §5 lets a set carry members a reader does not know); a set of one key needs neither.
 */
public final class KeySet {
    /** The set member naming the signing key. */
    public static final String ACTIVE_KID = "active_kid";

    private static final int MIN_HMAC_BYTES = 32;
    private static final int MIN_RSA_BITS = 2048;
    /** The only members a published key may have (RFC 7517 §4, RFC 7518 §6.2.1, §6.3.1): no private part. */
    private static final Map<String, List<String>> PUBLIC_MEMBERS = Map.of(
            Jwk.KEY_TYPE_RSA, List.of("kty", "kid", "alg", "n", "e"),
            Jwk.KEY_TYPE_EC, List.of("kty", "kid", "alg", "crv", "x", "y"));

    private final Map<String, Jwk> keys;
    private final Map<String, JsonObject> keyJson;
    private final Jwk signingKey;
    private final PublicKeys publicKeys;

    private KeySet(Map<String, Jwk> keys, Map<String, JsonObject> keyJson, Jwk signingKey) {
        this.keys = keys;
        this.keyJson = keyJson;
        this.signingKey = signingKey;
        Map<String, Jwk> verification = new LinkedHashMap<>();
        var published = Json.createArrayBuilder();
        keyJson.forEach((kid, json) -> {
            Optional<JsonObject> publicPart = publicPart(json);
            publicPart.ifPresent(published::add);
            verification.put(kid, publicPart.map(Jwk::create).orElse(keys.get(kid)));
        });
        this.publicKeys = new PublicKeys(verification, Json.createObjectBuilder().add("keys", published).build());
    }

    /**
     * Parses and validates a JWK set.
     *
     * @param activeKid   the signing key's {@code kid} from configuration, or {@code null} to use the set's own
     * @throws InvalidKeySetException naming the key and the reason when the set must not be used
     */
    public static KeySet parse(String json, String activeKid) {
        JsonObject set;
        try {
            set = Json.createReader(new StringReader(json)).readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidKeySetException("The key set is not a JSON object: " + e.getMessage());
        }
        JsonValue keysValue = set.get("keys");
        if (!(keysValue instanceof JsonArray array) || array.isEmpty()) {
            throw new InvalidKeySetException("The key set has no \"keys\" array with at least one key");
        }
        Map<String, Jwk> keys = new LinkedHashMap<>();
        Map<String, JsonObject> keyJson = new LinkedHashMap<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonObject key)) {
                throw new InvalidKeySetException("Key #" + i + " is not a JSON object");
            }
            String kid = key.getString("kid", "");
            if (kid.isBlank()) {
                throw new InvalidKeySetException("Key #" + i + " has no \"kid\"; every key needs one");
            }
            if (keys.containsKey(kid)) {
                throw new InvalidKeySetException("Key id '" + kid + "' appears more than once");
            }
            keys.put(kid, toJwk(kid, key));
            keyJson.put(kid, key);
        }
        String active = activeKid != null && !activeKid.isBlank() ? activeKid : set.getString(ACTIVE_KID, null);
        if (active == null) {
            if (keys.size() != 1) {
                throw new InvalidKeySetException("The key set holds " + keys.size() + " keys but names no signing"
                                                         + " key: set \"" + ACTIVE_KID + "\" or app.keys.active-kid");
            }
            active = keys.keySet().iterator().next();
        }
        Jwk signing = keys.get(active);
        if (signing == null) {
            throw new InvalidKeySetException("The signing key '" + active + "' is not in the key set");
        }
        if (!canSign(keyJson.get(active))) {
            throw new InvalidKeySetException("The signing key '" + active + "' has no private part, so it cannot"
                                                     + " sign");
        }
        return new KeySet(keys, keyJson, signing);
    }

    /** The key that signs new tokens. */
    public Jwk signingKey() {
        return signingKey;
    }

    /**
     * The public side of this set: the keys that verify tokens (an RSA or EC key without its private part) and the
     * published JWK set.
     */
    public PublicKeys publicKeys() {
        return publicKeys;
    }

    /** A key by id, private part included: for signing and the key file. */
    public Optional<Jwk> key(String kid) {
        return Optional.ofNullable(keys.get(kid));
    }

    /** Key ids in file order. */
    public List<String> keyIds() {
        return new ArrayList<>(keys.keySet());
    }

    /** The whole set as JSON, private members included: for the key file, never for publication. */
    public String toPrivateJson() {
        return toJson(keyJson, signingKey.keyId());
    }

    /**
     * This set with a new key added and made the signing key; the other keys stay for verification.
     *
     * @throws InvalidKeySetException when the result must not be used
     */
    public KeySet withSigningKey(JsonObject key) {
        Map<String, JsonObject> json = new LinkedHashMap<>(keyJson);
        if (json.putIfAbsent(key.getString("kid", ""), key) != null) {
            throw new InvalidKeySetException("Key id '" + key.getString("kid") + "' is already in the set");
        }
        return parse(toJson(json, key.getString("kid")), null);
    }

    /**
     * This set without a key.
     *
     * @throws InvalidKeySetException when the key is the signing key or is not in the set
     */
    public KeySet withoutKey(String kid) {
        if (!keys.containsKey(kid)) {
            throw new InvalidKeySetException("Key '" + kid + "' is not in the set; it holds " + keys.keySet());
        }
        if (kid.equals(signingKey.keyId())) {
            throw new InvalidKeySetException("Key '" + kid + "' signs new tokens; rotate to another key first");
        }
        Map<String, JsonObject> json = new LinkedHashMap<>(keyJson);
        json.remove(kid);
        return parse(toJson(json, signingKey.keyId()), null);
    }

    private static String toJson(Map<String, JsonObject> keys, String activeKid) {
        var array = Json.createArrayBuilder();
        keys.values().forEach(array::add);
        return Json.createObjectBuilder()
                .add(ACTIVE_KID, activeKid)
                .add("keys", array)
                .build()
                .toString();
    }

    /** The public members of an asymmetric key, copied from an allow-list; empty for an HMAC key. */
    private static Optional<JsonObject> publicPart(JsonObject key) {
        List<String> members = PUBLIC_MEMBERS.get(key.getString("kty"));
        if (members == null) {
            return Optional.empty();
        }
        var published = Json.createObjectBuilder();
        members.forEach(member -> published.add(member, key.get(member)));
        return Optional.of(published.add("use", Jwk.USE_SIGNATURE).build());
    }

    private static Jwk toJwk(String kid, JsonObject key) {
        String alg = key.getString("alg", "");
        String kty = key.getString("kty", "");
        String use = key.getString("use", Jwk.USE_SIGNATURE);
        if (!Jwk.USE_SIGNATURE.equals(use)) {
            throw new InvalidKeySetException("Key '" + kid + "' has \"use\": \"" + use + "\"; only \"sig\" keys"
                                                     + " are accepted");
        }
        switch (alg) {
        case JwkOctet.ALG_HS256 -> {
            expectType(kid, kty, Jwk.KEY_TYPE_OCT, alg);
            int bytes = decode(kid, key, "k").length;
            if (bytes < MIN_HMAC_BYTES) {
                throw new InvalidKeySetException("Key '" + kid + "' is an HMAC key of " + bytes * 8 + " bits; HS256"
                                                         + " needs at least " + MIN_HMAC_BYTES * 8);
            }
        }
        case JwkRSA.ALG_RS256 -> {
            expectType(kid, kty, Jwk.KEY_TYPE_RSA, alg);
            int bits = new BigInteger(1, decode(kid, key, "n")).bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new InvalidKeySetException("Key '" + kid + "' is an RSA key of " + bits + " bits; RS256 needs"
                                                         + " at least " + MIN_RSA_BITS);
            }
        }
        case JwkEC.ALG_ES256 -> {
            expectType(kid, kty, Jwk.KEY_TYPE_EC, alg);
            String crv = key.getString("crv", "");
            if (!JwkEC.CURVE_P256.equals(crv)) {
                throw new InvalidKeySetException("Key '" + kid + "' is on curve '" + crv + "'; ES256 needs P-256");
            }
        }
        default -> throw new InvalidKeySetException("Key '" + kid + "' has algorithm '" + alg + "'; supported are "
                                                            + "HS256, RS256 and ES256, and \"alg\" is required");
        }
        try {
            return Jwk.create(key);
        } catch (RuntimeException e) {
            throw new InvalidKeySetException("Key '" + kid + "' does not parse: " + e.getMessage());
        }
    }

    private static boolean canSign(JsonObject key) {
        return Jwk.KEY_TYPE_OCT.equals(key.getString("kty")) || key.containsKey("d");
    }

    private static void expectType(String kid, String kty, String expected, String alg) {
        if (!expected.equals(kty)) {
            throw new InvalidKeySetException("Key '" + kid + "' has \"kty\": \"" + kty + "\" but " + alg + " needs \""
                                                     + expected + "\"");
        }
    }

    private static byte[] decode(String kid, JsonObject key, String member) {
        try {
            return Base64.getUrlDecoder().decode(key.getString(member, ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeySetException("Key '" + kid + "' has a \"" + member + "\" that is not base64url");
        }
    }
}
