package dev.tokenservice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Makes tokens the service did not issue, with Nimbus JOSE+JWT, to prove what the service refuses.
 */
public final class Forge {
    private Forge() {
    }

    /**
     * Claims the test service would accept for a user: its issuer and audience, valid for five minutes.
     *
     * @param subject the user
     * @return claims builder
     */
    public static JWTClaimsSet.Builder validClaims(String subject) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer("https://auth.test")
                .audience("test-api")
                .subject(subject)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scope", "me items");
    }

    /**
     * Claims the test service would accept for a client's own token (client credentials grant): {@code sub} and
     * {@code client_id} the client, the claim {@code gty: client_credentials}, scope {@code items}.
     *
     * @param clientId the client
     * @return claims builder
     */
    public static JWTClaimsSet.Builder clientClaims(String clientId) {
        return validClaims(clientId)
                .claim("client_id", clientId)
                .claim("gty", "client_credentials")
                .claim("scope", "items");
    }

    /** The typ header of access tokens, RFC 9068. */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /**
     * Signs claims with HS256 as an access token ({@code typ: at+jwt}).
     *
     * @param secret HMAC secret
     * @param kid    key id to put in the header, or {@code null} for none
     * @param claims claims
     * @return compact JWS
     */
    public static String hs256(byte[] secret, String kid, JWTClaimsSet claims) {
        return hs256(secret, kid, AT_JWT, claims);
    }

    /**
     * Signs claims with HS256.
     *
     * @param secret HMAC secret
     * @param kid    key id to put in the header, or {@code null} for none
     * @param type   typ header, or {@code null} for none
     * @param claims claims
     * @return compact JWS
     */
    public static String hs256(byte[] secret, String kid, JOSEObjectType type, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).type(type).build(),
                                          claims);
            jwt.sign(new MACSigner(secret));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An unsecured token of the given header and claims, with an empty signature.
     *
     * @param headerJson header JSON, e.g. {@code {"alg":"none"}}
     * @param claims     claims
     * @return compact form {@code header.payload.}
     */
    public static String unsigned(String headerJson, JWTClaimsSet claims) {
        return b64(headerJson) + "." + b64(claims.toString()) + ".";
    }

    /**
     * Replaces the payload of a token, keeping its header and signature.
     *
     * @param token  compact JWS
     * @param claims new payload
     * @return tampered token
     */
    public static String withPayload(String token, JWTClaimsSet claims) {
        String[] parts = token.split("\\.");
        return parts[0] + "." + b64(claims.toString()) + "." + parts[2];
    }

    /**
     * Signs a header and a payload given as raw JSON text with HS256, byte for byte as written, so that a test
     * can send what no JWT library would produce (duplicate members, trailing data, claims of the wrong type).
     *
     * @param secret      HMAC secret
     * @param headerJson  header JSON text
     * @param payloadJson payload JSON text
     * @return compact JWS
     */
    public static String hs256Raw(byte[] secret, String headerJson, String payloadJson) {
        return signRaw(secret, b64(headerJson) + "." + b64(payloadJson));
    }

    /**
     * Signs the given signing input ({@code header.payload}, already encoded) with HS256.
     *
     * @param secret       HMAC secret
     * @param signingInput the first two segments, as sent
     * @return {@code signingInput.signature}
     */
    public static String signRaw(byte[] secret, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] signature = mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Base64url without padding.
     *
     * @param text text
     * @return encoded UTF-8 bytes
     */
    public static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
