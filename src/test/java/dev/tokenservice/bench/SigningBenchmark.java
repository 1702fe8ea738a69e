package dev.tokenservice.bench;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.tokenservice.keys.KeyGenerator;
import dev.tokenservice.keys.KeySet;

import io.helidon.common.Errors;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of signing an access token and of verifying one, per algorithm, with helidon-security-jwt as the service
 * uses it. Run with {@code bash .ci/bench signing}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigningBenchmark {
    @Param({"HS256", "RS256", "ES256"})
    public String alg;

    private Jwk key;
    private JwkKeys keys;
    private String token;

    /**
     * A key of the algorithm and one signed token.
     */
    @Setup
    public void setUp() {
        KeySet set = KeySet.parse("{\"keys\":[" + KeyGenerator.generate(alg) + "]}", null);
        key = set.signingKey();
        keys = io.helidon.security.jwt.jwk.JwkKeys.builder()
                .addKey(set.publicKeys().verificationKey(key.keyId()).orElseThrow())
                .build();
        token = sign();
    }

    /**
     * Builds and signs a token like the service's.
     *
     * @return compact JWS
     */
    @Benchmark
    public String sign() {
        return SignedJwt.sign(accessToken(key), key).tokenContent();
    }

    /**
     * Parses a token and verifies its signature.
     *
     * @return verification result
     */
    @Benchmark
    public Errors verify() {
        return SignedJwt.parseToken(token).verifySignature(keys);
    }

    /**
     * A token with the claims the service issues.
     *
     * @param key signing key
     * @return unsigned token
     */
    public static Jwt accessToken(Jwk key) {
        Instant now = Instant.now();
        return Jwt.builder()
                .algorithm(key.algorithm())
                .keyId(key.keyId())
                .type("at+jwt")
                .issuer("https://auth.example.com")
                .subject("john.doe")
                .audience(List.of("token-service"))
                .issueTime(now)
                .expirationTime(now.plusSeconds(1800))
                .jwtId(UUID.randomUUID().toString())
                .addPayloadClaim("client_id", "public-client")
                .addPayloadClaim("scope", "me items")
                .build();
    }

    /**
     * Prints the size of a token of each algorithm.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (String alg : KeyGenerator.ALGORITHMS) {
            Jwk key = KeySet.parse("{\"keys\":[" + KeyGenerator.generate(alg) + "]}", null).signingKey();
            String token = SignedJwt.sign(accessToken(key), key).tokenContent();
            String signature = token.substring(token.lastIndexOf('.') + 1);
            System.out.printf("%s token: %d bytes (signature %d)%n", alg, token.length(), signature.length());
        }
    }
}
