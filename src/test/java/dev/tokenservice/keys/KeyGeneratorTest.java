package dev.tokenservice.keys;

import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Generated keys are valid JWKs by Nimbus's reading, sign with Helidon, and verify with Nimbus from the published
 * public part alone.
 */
class KeyGeneratorTest {
    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256"})
    void generatedAsymmetricKeySignsWithHelidonAndVerifiesWithNimbusFromThePublicSet(String alg) throws Exception {
        JsonObject json = KeyGenerator.generate(alg);
        JWK parsed = JWK.parse(json.toString());
        assertThat(parsed.isPrivate(), is(true));
        assertThat(parsed.getAlgorithm().getName(), is(alg));
        assertThat(parsed.getKeyID(), is(json.getString("kid")));
        if (parsed instanceof RSAKey rsa) {
            assertThat(rsa.size(), is(2048));
        } else {
            assertThat(((ECKey) parsed).getCurve().getName(), is("P-256"));
        }

        KeySet set = KeySet.parse("{\"keys\":[" + json + "]}", null);
        Jwk key = set.signingKey();
        String token = SignedJwt.sign(Jwt.builder().algorithm(key.algorithm()).keyId(key.keyId()).subject("x")
                                              .expirationTime(Instant.now().plusSeconds(60)).build(), key)
                .tokenContent();

        JWK published = JWKSet.parse(set.publicKeys().jwks().toString()).getKeyByKeyId(key.keyId());
        assertThat(published.isPrivate(), is(false));
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(new DefaultJWSVerifierFactory().createJWSVerifier(
                jwt.getHeader(), published instanceof RSAKey rsa ? rsa.toRSAPublicKey()
                        : ((ECKey) published).toECPublicKey())), is(true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS256", "ES256"})
    void everyGeneratedKeyIsAcceptedByTheKeySet(String alg) {
        JsonObject json = KeyGenerator.generate(alg);
        KeySet set = KeySet.parse("{\"keys\":[" + json + "]}", null);
        assertThat(set.signingKey().algorithm(), is(alg));
        assertThat(json.getString("use"), is("sig"));
        assertThat(set.keyIds(), is(List.of(json.getString("kid"))));
    }
}
