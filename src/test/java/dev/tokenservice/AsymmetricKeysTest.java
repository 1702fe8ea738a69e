package dev.tokenservice;

import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.tokenservice.keys.KeyGenerator;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * RS256 and ES256 end to end: Nimbus JOSE+JWT discovers the server from its RFC 8414 metadata, fetches the JWK set
 * over HTTP and verifies issued tokens; tokens forged against the published keys are refused.
 */
class AsymmetricKeysTest {
    @ParameterizedTest
    @ValueSource(strings = {"RS256", "ES256"})
    void nimbusVerifiesIssuedTokensWithTheFetchedKeySetAndTheServerRefusesForgeries(String alg) throws Exception {
        int port = TestApp.freePort();
        String issuer = "http://127.0.0.1:" + port;
        TestApp.Instance instance = TestApp.create(Map.of("app.keys.algorithm", alg,
                                                          "server.port", String.valueOf(port),
                                                          "app.token.issuer", issuer));
        try (TestApp.Running running = TestApp.start(instance.server())) {
            Http1Client client = running.client();
            JsonObject metadata;
            try (Http1ClientResponse res = client.get("/.well-known/oauth-authorization-server").request()) {
                metadata = res.as(JsonObject.class);
            }
            assertThat(metadata.getString("issuer"), is(issuer));
            assertThat(metadata.getString("token_endpoint"), is(issuer + "/token"));

            String token = TestApp.token(client, "alice", "alice-password");
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm().getName(), is(alg));

            JWKSource<SecurityContext> jwks = JWKSourceBuilder
                    .create(URI.create(metadata.getString("jwks_uri")).toURL()).retrying(false).build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(Forge.AT_JWT));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.parse(alg), jwks));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    "test-api", new JWTClaimsSet.Builder().issuer(metadata.getString("issuer")).build(),
                    Set.of("sub", "iat", "exp", "jti")));
            assertThat(processor.process(token, null).getSubject(), is("alice"));

            JWK published = JWKSet.load(new URL(metadata.getString("jwks_uri")))
                    .getKeyByKeyId(jwt.getHeader().getKeyID());
            PublicKey publicKey = ((AsymmetricJWK) published).toPublicKey();
            JWK foreign = JWK.parse(KeyGenerator.generate(alg).toString());
            String kid = published.getKeyID();
            JWTClaimsSet claims = Forge.validClaims("alice").issuer(issuer).build();

            Map<String, String> forged = new LinkedHashMap<>();
            String pem = "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(publicKey.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
            forged.put("HS256 keyed with the public JWK",
                       sign(new MACSigner(published.toJSONString().getBytes(StandardCharsets.UTF_8)),
                            header(JWSAlgorithm.HS256, kid), claims));
            forged.put("HS256 keyed with the public key DER",
                       sign(new MACSigner(publicKey.getEncoded()), header(JWSAlgorithm.HS256, kid), claims));
            forged.put("HS256 keyed with the public key PEM",
                       sign(new MACSigner(pem.getBytes(StandardCharsets.US_ASCII)), header(JWSAlgorithm.HS256, kid),
                            claims));
            forged.put("foreign key, same kid", sign(signer(foreign), header(JWSAlgorithm.parse(alg), kid), claims));
            forged.put("unknown kid", sign(signer(foreign), header(JWSAlgorithm.parse(alg), "unknown"), claims));
            forged.put("alg none", Forge.unsigned("{\"alg\":\"none\",\"kid\":\"" + kid + "\",\"typ\":\"at+jwt\"}",
                                                  claims));
            forged.put("embedded jwk header", sign(signer(foreign), new JWSHeader.Builder(JWSAlgorithm.parse(alg))
                    .type(Forge.AT_JWT).keyID(foreign.getKeyID()).jwk(foreign.toPublicJWK()).build(), claims));
            forged.put("embedded jwk header, our kid", sign(signer(foreign), new JWSHeader.Builder(
                    JWSAlgorithm.parse(alg)).type(Forge.AT_JWT).keyID(kid).jwk(foreign.toPublicJWK()).build(), claims));
            forged.put("jku header", sign(signer(foreign), new JWSHeader.Builder(JWSAlgorithm.parse(alg))
                    .type(Forge.AT_JWT).keyID(kid).jwkURL(URI.create("http://127.0.0.1:9/jwks.json")).build(),
                                          claims));
            forged.put("x5u header", sign(signer(foreign), new JWSHeader.Builder(JWSAlgorithm.parse(alg))
                    .type(Forge.AT_JWT).keyID(kid).x509CertURL(URI.create("http://127.0.0.1:9/cert.pem")).build(),
                                          claims));
            // the same claims, honestly signed, pass: the forgeries fail for their signatures alone
            assertThat(TestApp.usersMe(client, token), is(200));

            forged.forEach((name, forgery) -> {
                try (Http1ClientResponse res = client.get("/users/me")
                        .header(HeaderNames.AUTHORIZATION, "Bearer " + forgery).request()) {
                    assertThat(name, res.status(), is(Status.UNAUTHORIZED_401));
                    assertThat(name, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                               startsWith("Bearer error=\"invalid_token\""));
                }
            });
        }
    }

    private static JWSHeader header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).type(new JOSEObjectType("at+jwt")).keyID(kid).build();
    }

    private static JWSSigner signer(JWK key) throws Exception {
        return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
    }

    private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
