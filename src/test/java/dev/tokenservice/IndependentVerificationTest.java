package dev.tokenservice;

import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Issued tokens verify with Nimbus JOSE+JWT, a library no one here wrote, given only the key set file.
 */
class IndependentVerificationTest {
    @Test
    void nimbusVerifiesSignatureAndClaimsOfAnIssuedToken() throws Exception {
        TestApp.Instance instance = TestApp.create(java.util.Map.of());
        String token;
        try (TestApp.Running running = TestApp.start(instance.server());
                Http1ClientResponse res = running.client().post("/token")
                        .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                        .submit("grant_type=password&username=alice&password=alice-password")) {
            token = res.as(JsonObject.class).getString("access_token");
        }

        OctetSequenceKey key = OctetSequenceKey.parse(TestApp.activeKey(instance.keyFile()).toString());
        assertThat(SignedJWT.parse(token).verify(new MACVerifier(key)), is(true));

        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(Forge.AT_JWT));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                                                                      new ImmutableJWKSet<>(new JWKSet(key))));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                "test-api",
                new JWTClaimsSet.Builder().issuer("https://auth.test").subject("alice").build(),
                Set.of("iat", "exp", "jti", "scope")));
        JWTClaimsSet claims = processor.process(token, null);
        assertThat(claims.getStringClaim("scope"), is("me items"));
    }
}
