package dev.tokenservice.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkEC;
import io.helidon.security.jwt.jwk.JwkOctet;
import io.helidon.security.jwt.jwk.JwkRSA;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Makes new signing keys as private JWKs (RFC 7517, members from RFC 7518 §6): HS256 with 256 random bits,
 * RS256 with 2048-bit RSA, ES256 on P-256. {@code helidon-security-jwt} reads JWKs but cannot write them, hence
 * this writer.
 */
public final class KeyGenerator {
    /** The algorithms a key set may hold. */
    public static final List<String> ALGORITHMS = List.of(JwkOctet.ALG_HS256, JwkRSA.ALG_RS256, JwkEC.ALG_ES256);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private KeyGenerator() {
    }

    /**
     * A new private JWK.
     *
     * @param alg HS256, RS256 or ES256
     * @return the key, with {@code kid}, {@code alg} and {@code use: sig}
     * @throws IllegalArgumentException for another algorithm
     */
    public static JsonObject generate(String alg) {
        JsonObjectBuilder key = Json.createObjectBuilder();
        try {
            switch (alg) {
            case JwkOctet.ALG_HS256 -> {
                byte[] secret = new byte[32];
                RANDOM.nextBytes(secret);
                key.add("kty", Jwk.KEY_TYPE_OCT).add("k", B64.encodeToString(secret));
            }
            case JwkRSA.ALG_RS256 -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048, RANDOM);
                RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
                key.add("kty", Jwk.KEY_TYPE_RSA)
                        .add("n", unsigned(rsa.getModulus()))
                        .add("e", unsigned(rsa.getPublicExponent()))
                        .add("d", unsigned(rsa.getPrivateExponent()))
                        .add("p", unsigned(rsa.getPrimeP()))
                        .add("q", unsigned(rsa.getPrimeQ()))
                        .add("dp", unsigned(rsa.getPrimeExponentP()))
                        .add("dq", unsigned(rsa.getPrimeExponentQ()))
                        .add("qi", unsigned(rsa.getCrtCoefficient()));
            }
            case JwkEC.ALG_ES256 -> {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
                KeyPair pair = generator.generateKeyPair();
                ECPublicKey pub = (ECPublicKey) pair.getPublic();
                // RFC 7518 §6.2.1.2: coordinates and d are the full 32 bytes of P-256, leading zeros kept
                key.add("kty", Jwk.KEY_TYPE_EC)
                        .add("crv", JwkEC.CURVE_P256)
                        .add("x", fixed(pub.getW().getAffineX(), 32))
                        .add("y", fixed(pub.getW().getAffineY(), 32))
                        .add("d", fixed(((ECPrivateKey) pair.getPrivate()).getS(), 32));
            }
            default -> throw new IllegalArgumentException("Unsupported algorithm '" + alg + "'; use one of "
                                                                  + ALGORITHMS);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot generate " + alg + " keys", e);
        }
        return key.add("kid", newKeyId(alg)).add("alg", alg).add("use", Jwk.USE_SIGNATURE).build();
    }

    /** A new key id: the algorithm, the date and random hex, so that operators can tell keys apart. */
    static String newKeyId(String alg) {
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return alg.toLowerCase(Locale.ROOT) + "-" + LocalDate.now() + "-" + HexFormat.of().formatHex(random);
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return B64.encodeToString(bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length)
                                          : bytes);
    }

    private static String fixed(BigInteger value, int length) {
        byte[] bytes = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(bytes.length, length);
        System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
        return B64.encodeToString(out);
    }
}
