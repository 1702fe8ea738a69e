package dev.tokenservice;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Access tokens that the bearer path must refuse, each signed with the service's own HS256 key unless its
 * name says otherwise, so that the refusal is due to what it changes: header parameters, encoding, JSON structure,
 * claim types and values. Written as raw JSON text because no JWT library produces most of them. The claims are
 * those of the test configuration: issuer {@code https://auth.test}, audience {@code test-api}.
 */
public final class HostileTokens {
    /**
     * The refused tokens whose only fault is an OpenID Connect claim of a type Helidon's JWT library cannot read:
     * the access token rule does not read those claims, the JWT provider that builds the security subject does.
     */
    public static final java.util.Set<String> UNREADABLE_BY_HELIDON = java.util.Set.of(
            "zoneinfo not a zone", "website not a URI", "email_verified a string", "updated_at a string",
            "address a string");
    private static final String ISSUER = "https://auth.test";
    private static final String AUDIENCE = "test-api";

    private final byte[] secret;
    private final String kid;
    private final String jti;
    private final long now;

    /**
     * Tokens for a key.
     *
     * @param secret HMAC secret of the service's active key
     * @param kid    its key id
     * @param jti    the {@code jti} of every token, so that a test can check that none of them revoked it
     * @param now    the time the tokens are made for
     */
    public HostileTokens(byte[] secret, String kid, String jti, Instant now) {
        this.secret = secret;
        this.kid = kid;
        this.jti = jti;
        this.now = now.getEpochSecond();
    }

    /**
     * The claims of a valid token of alice, as ordered JSON member texts.
     *
     * @return claim name to JSON value text
     */
    public Map<String, String> validClaims() {
        Map<String, String> claims = new LinkedHashMap<>();
        claims.put("iss", quote(ISSUER));
        claims.put("sub", quote("alice"));
        claims.put("aud", quote(AUDIENCE));
        claims.put("iat", String.valueOf(now));
        claims.put("exp", String.valueOf(now + 300));
        claims.put("jti", quote(jti));
        claims.put("scope", quote("me items"));
        claims.put("client_id", quote("test-public"));
        return claims;
    }

    /**
     * A valid token of alice.
     *
     * @return token
     */
    public String valid() {
        return sign(header(), json(validClaims()));
    }

    /**
     * Variants the rule must still accept: the rule refuses what is wrong, not what is unusual.
     *
     * @return name to token
     */
    public Map<String, String> accepted() {
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("as issued", valid());
        tokens.put("aud an array", claims("aud", "[\"other-api\",\"" + AUDIENCE + "\"]"));
        tokens.put("typ in media type form", sign(header("application/at+jwt"), json(validClaims())));
        tokens.put("iat 3 s ahead, within the clock skew", claims("iat", String.valueOf(now + 3)));
        tokens.put("nbf now", claims("nbf", String.valueOf(now)));
        tokens.put("no scope", without("scope"));
        tokens.put("no client_id", without("client_id"));
        tokens.put("white space in the JSON", sign(header(), " { \"iss\" : \"" + ISSUER + "\" ,\n\"sub\":\"alice\","
                + "\"aud\":\"" + AUDIENCE + "\",\"iat\":" + now + ",\"exp\":" + (now + 300) + ",\"jti\":\""
                + jti + "\",\"scope\":\"me items\"}\n"));
        tokens.put("an unknown claim", claims("x-extra", "{\"a\":[1,2,{\"b\":null}]}"));
        return tokens;
    }

    /**
     * Tokens the rule must refuse.
     *
     * @return name to token
     */
    public Map<String, String> refused() {
        Map<String, String> tokens = new LinkedHashMap<>();
        String valid = valid();
        String[] parts = valid.split("\\.");
        String payload = json(validClaims());

        // header (RFC 7515 §4.1)
        tokens.put("alg none, no kid", Forge.b64("{\"alg\":\"none\",\"typ\":\"at+jwt\"}") + "." + parts[1] + ".");
        tokens.put("alg none with kid", Forge.b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"}")
                + "." + parts[1] + ".");
        tokens.put("alg HS384 for an HS256 key", sign("{\"alg\":\"HS384\",\"kid\":\"" + kid
                + "\",\"typ\":\"at+jwt\"}", payload));
        tokens.put("no alg", sign("{\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"}", payload));
        tokens.put("alg a number", sign("{\"alg\":256,\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"}", payload));
        tokens.put("no kid", sign("{\"alg\":\"HS256\",\"typ\":\"at+jwt\"}", payload));
        tokens.put("unknown kid", sign("{\"alg\":\"HS256\",\"kid\":\"no-such-kid\",\"typ\":\"at+jwt\"}", payload));
        tokens.put("no typ", sign("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}", payload));
        tokens.put("typ JWT", sign(header("JWT"), payload));
        tokens.put("crit exp", sign(headerWith("\"crit\":[\"exp\"],\"exp\":1"), payload));
        tokens.put("crit b64 and b64 false", sign(headerWith("\"crit\":[\"b64\"],\"b64\":false"), payload));
        tokens.put("b64 false", sign(headerWith("\"b64\":false"), payload));
        tokens.put("jku", sign(headerWith("\"jku\":\"https://evil.test/jwks\""), payload));
        tokens.put("jwk", sign(headerWith("\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}"), payload));
        tokens.put("x5u", sign(headerWith("\"x5u\":\"https://evil.test/cert\""), payload));
        tokens.put("duplicate alg in the header", sign(headerWith("\"alg\":\"none\""), payload));

        // compact serialization and base64url (RFC 7515 §2, §7.1; RFC 7519 §7.2)
        tokens.put("payload padded", parts[0] + "." + padded(payload) + "." + parts[2]);
        tokens.put("payload padded and re-signed", Forge.signRaw(secret, parts[0] + "." + padded(payload)));
        tokens.put("payload in base64 with + and /", Forge.signRaw(secret, parts[0] + "."
                + plusSlash()));
        tokens.put("signature padded", valid + "=");
        tokens.put("a space inside", parts[0] + "." + parts[1] + " ." + parts[2]);
        tokens.put("non-canonical last character", Forge.signRaw(secret, parts[0] + "." + nonCanonical(payload)));
        tokens.put("four segments", valid + ".AAAA");
        tokens.put("two segments", parts[0] + "." + parts[1]);
        tokens.put("empty signature", parts[0] + "." + parts[1] + ".");
        tokens.put("signature of another key", Forge.hs256Raw(new byte[32], header(), payload));
        tokens.put("tampered payload", parts[0] + "." + Forge.b64(payload.replace("alice", "bob")) + "." + parts[2]);
        tokens.put("invalid UTF-8 in the payload", Forge.signRaw(secret, parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(invalidUtf8(payload))));
        tokens.put("too long", sign(header(), json(with(validClaims(), "x-pad", quote("x".repeat(9000))))));

        // JSON structure (RFC 7519 §4, §7.2)
        tokens.put("trailing garbage after the payload", sign(header(), payload + "x"));
        tokens.put("a second object after the payload", sign(header(), payload + "{}"));
        tokens.put("trailing garbage after the header", sign(header() + "]", payload));
        tokens.put("duplicate sub", sign(header(), payload.replace("\"sub\":\"alice\"",
                                                                    "\"sub\":\"bob\",\"sub\":\"alice\"")));
        tokens.put("duplicate member deeper down", claims("x-extra", "{\"a\":1,\"a\":2}"));
        tokens.put("payload an array", sign(header(), "[" + payload + "]"));
        tokens.put("payload a string", sign(header(), quote("alice")));
        tokens.put("payload not JSON", sign(header(), "sub=alice"));

        // claim types (RFC 7519 §2 NumericDate, §4.1)
        tokens.put("exp a string", claims("exp", quote(String.valueOf(now + 300))));
        tokens.put("exp null", claims("exp", "null"));
        tokens.put("exp true", claims("exp", "true"));
        tokens.put("exp an array", claims("exp", "[" + (now + 300) + "]"));
        tokens.put("exp 1e20", claims("exp", "1e20"));
        tokens.put("exp 2^63", claims("exp", BigInteger.TWO.pow(63).toString()));
        tokens.put("exp 2^64 + now + 300, wraps to a valid time", claims("exp", BigInteger.TWO.pow(64)
                .add(BigInteger.valueOf(now + 300)).toString()));
        tokens.put("exp a fraction", claims("exp", (now + 300) + ".5"));
        tokens.put("no exp", without("exp"));
        tokens.put("nbf a string", claims("nbf", quote(String.valueOf(now))));
        tokens.put("iat a string", claims("iat", quote(String.valueOf(now))));
        tokens.put("no iat", without("iat"));
        tokens.put("aud [1,2]", claims("aud", "[1,2]"));
        tokens.put("aud empty array", claims("aud", "[]"));
        tokens.put("no aud", without("aud"));
        tokens.put("wrong aud", claims("aud", quote("other-api")));
        tokens.put("no sub", without("sub"));
        tokens.put("sub a number", claims("sub", "42"));
        tokens.put("sub null", claims("sub", "null"));
        tokens.put("sub an array", claims("sub", "[\"alice\"]"));
        tokens.put("sub empty", claims("sub", quote("")));
        tokens.put("no iss", without("iss"));
        tokens.put("wrong iss", claims("iss", quote("https://evil.test")));
        tokens.put("no jti", without("jti"));
        tokens.put("jti a number", claims("jti", "42"));
        tokens.put("scope an array of numbers", claims("scope", "[1,2]"));
        tokens.put("scope a number", claims("scope", "1"));
        tokens.put("scope with two spaces", claims("scope", quote("me  items")));
        tokens.put("client_id a number", claims("client_id", "7"));
        tokens.put("another claim null", claims("x-extra", "null"));
        tokens.put("zoneinfo not a zone", claims("zoneinfo", quote("Not/A_Zone")));
        tokens.put("website not a URI", claims("website", quote("http://exa mple.test/ <>")));
        tokens.put("email_verified a string", claims("email_verified", quote("yes")));
        tokens.put("updated_at a string", claims("updated_at", quote("yesterday")));
        tokens.put("address a string", claims("address", quote("1 Main Street")));

        // time (RFC 7519 §4.1.4, §4.1.5, §4.1.6)
        tokens.put("expired", claims("exp", String.valueOf(now - 1)));
        tokens.put("iat an hour ahead", claims("iat", String.valueOf(now + 3600)));
        tokens.put("nbf a minute ahead", claims("nbf", String.valueOf(now + 60)));

        // subject (the test configuration: carol is disabled, ghost does not exist)
        tokens.put("disabled user", claims("sub", quote("carol")));
        tokens.put("removed user", claims("sub", quote("ghost")));
        return tokens;
    }

    private String claims(String name, String jsonValue) {
        return sign(header(), json(with(validClaims(), name, jsonValue)));
    }

    private String without(String name) {
        Map<String, String> claims = validClaims();
        claims.remove(name);
        return sign(header(), json(claims));
    }

    private static Map<String, String> with(Map<String, String> claims, String name, String jsonValue) {
        claims.put(name, jsonValue);
        return claims;
    }

    private String sign(String header, String payload) {
        return Forge.hs256Raw(secret, header, payload);
    }

    private String header() {
        return header("at+jwt");
    }

    private String header(String typ) {
        return "{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"typ\":\"" + typ + "\"}";
    }

    private String headerWith(String members) {
        return "{\"alg\":\"HS256\",\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"," + members + "}";
    }

    /** Padded base64url: the payload is made one byte longer than a multiple of three, so that padding shows. */
    private static String padded(String payload) {
        return Base64.getUrlEncoder().encodeToString(withLengthThreeNPlusOne(payload).getBytes());
    }

    /** The JSON with trailing spaces up to a length of 3n + 1, whose base64 ends in a partly used character. */
    private static String withLengthThreeNPlusOne(String payload) {
        return payload.length() % 3 == 1 ? payload : payload + " ".repeat((4 - payload.length() % 3) % 3);
    }

    /** A valid payload in standard base64, chosen so that it has '+' or '/'. */
    private String plusSlash() {
        for (int i = 0; ; i++) {
            String encoded = Base64.getEncoder().withoutPadding()
                    .encodeToString(json(with(validClaims(), "x-n", quote("~?>" + i))).getBytes());
            if (encoded.contains("+") || encoded.contains("/")) {
                return encoded;
            }
        }
    }

    /** The payload's base64url with the unused low bit of the last character set: the same bytes, decoded. */
    private static String nonCanonical(String payload) {
        String segment = Base64.getUrlEncoder().withoutPadding().encodeToString(withLengthThreeNPlusOne(payload).getBytes());
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(segment.charAt(segment.length() - 1));
        return segment.substring(0, segment.length() - 1) + alphabet.charAt(last | 1);
    }

    private static byte[] invalidUtf8(String payload) {
        byte[] text = payload.replace("\"me items\"", "\"me items?\"").getBytes();
        for (int i = text.length - 1; i >= 0; i--) {
            if (text[i] == '?') {
                text[i] = (byte) 0xC3;
                break;
            }
        }
        return text;
    }

    private static String json(Map<String, String> claims) {
        return claims.entrySet().stream()
                .map(claim -> quote(claim.getKey()) + ":" + claim.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }
}
