package dev.tokenservice;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The client credentials grant (RFC 6749 §4.4) and what its tokens may do: issued to confidential clients allowed
 * it, in the RFC 9068 shape with the client as subject and no refresh token; served by {@code /items}, never
 * taken for a user's token, not even where a user has the client's name; introspected, revoked, verified with the
 * JWKS, and stopped when the client is removed from configuration.
 */
class ClientCredentialsTest {
    private static final String SERVICE = basic("test-service", "service-secret");

    private static TestApp.Running running;
    private static Http1Client client;

    @BeforeAll
    static void start() {
        running = TestApp.start(TestApp.shared());
        client = running.client();
    }

    @AfterAll
    static void stop() {
        running.close();
    }

    // --- the grant (point 1)

    @Test
    void confidentialClientGetsATokenOfItsOwnWithoutRefreshToken() throws Exception {
        try (Http1ClientResponse res = token(SERVICE, "grant_type=client_credentials")) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            assertThat(res.headers().get(HeaderNames.PRAGMA).get(), is("no-cache"));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("token_type"), is("Bearer"));
            assertThat(body.getJsonNumber("expires_in").longValue(), is(1800L));
            assertThat(body.getString("scope"), is("items"));
            // RFC 6749 §4.4.3: a refresh token SHOULD NOT be included
            assertThat(body.keySet(), is(Set.of("access_token", "token_type", "expires_in", "scope")));

            // RFC 9068 §2.2: the client is the subject; no claim about a user
            SignedJWT jwt = SignedJWT.parse(body.getString("access_token"));
            assertThat(jwt.getHeader().getType().getType(), is("at+jwt"));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getSubject(), is("test-service"));
            assertThat(claims.getStringClaim("client_id"), is("test-service"));
            assertThat(claims.getStringClaim("gty"), is("client_credentials"));
            assertThat(claims.getStringClaim("scope"), is("items"));
            assertThat(claims.getIssuer(), is("https://auth.test"));
            assertThat(claims.getAudience(), is(java.util.List.of("test-api")));
            // Helidon's JWT builder always writes the MicroProfile principal name upn, equal to sub: here the client
            assertThat(claims.getStringClaim("upn"), is("test-service"));
            assertThat(claims.getClaims().keySet(),
                       is(Set.of("iss", "sub", "aud", "iat", "exp", "jti", "scope", "client_id", "gty", "upn")));
        }
    }

    @Test
    void clientSecretInTheFormWorksToo() {
        try (Http1ClientResponse res = token(null, "grant_type=client_credentials&client_id=test-service"
                + "&client_secret=service-secret")) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @Test
    void scopeIsNarrowedToTheClientsScopes() {
        assertThat(grantedScope("items"), is("items"));
        // as for users: what the client may not have is left out
        assertThat(grantedScope("me%20items"), is("items"));
        assertThat(AbstractApiTest.assertOAuthError(token(SERVICE, "grant_type=client_credentials&scope=me"),
                                                    Status.BAD_REQUEST_400, "invalid_scope")
                           .getString("error_description"),
                   is("None of the requested scopes is allowed for this client"));
        AbstractApiTest.assertOAuthError(token(SERVICE, "grant_type=client_credentials&scope=admin"),
                                         Status.BAD_REQUEST_400, "invalid_scope");
    }

    @Test
    void publicClientIsUnauthorizedClient() {
        JsonObject body = AbstractApiTest.assertOAuthError(
                token(null, "grant_type=client_credentials&client_id=test-public"),
                Status.BAD_REQUEST_400, "unauthorized_client");
        assertThat(body.getString("error_description"),
                   is("The grant type 'client_credentials' is for confidential clients only (RFC 6749 section 4.4)"));
    }

    @Test
    void requestWithoutClientAuthenticationIsInvalidClient() {
        // no credentials at all would act as the default public client: for this grant that is no authentication
        for (String authorization : new String[] {null, "Basic Og=="}) {
            try (Http1ClientResponse res = token(authorization, "grant_type=client_credentials")) {
                assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), startsWith("Basic"));
                JsonObject body = AbstractApiTest.assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
                assertThat(body.getString("error_description"), startsWith("The grant type 'client_credentials'"
                                                                                   + " needs client authentication"));
            }
        }
    }

    @Test
    void wrongSecretOrUnknownClientIsInvalidClient() {
        for (String authorization : new String[] {basic("test-service", "wrong"), basic("nobody", "service-secret"),
                basic("test-service", "")}) {
            try (Http1ClientResponse res = token(authorization, "grant_type=client_credentials")) {
                assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), startsWith("Basic"));
                AbstractApiTest.assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
            }
        }
    }

    @Test
    void confidentialClientNotAllowedTheGrantIsUnauthorizedClient() {
        AbstractApiTest.assertOAuthError(token(basic("test-confidential", "confidential-secret"),
                                               "grant_type=client_credentials"),
                                         Status.BAD_REQUEST_400, "unauthorized_client");
    }

    // --- JWKS (point 3)

    @Test
    void jwksVerifiesAClientToken() throws Exception {
        try (TestApp.Running rs256 = TestApp.start(TestApp.create(Map.of("app.keys.algorithm", "RS256")).server())) {
            String token;
            try (Http1ClientResponse res = rs256.client().post("/token").header(HeaderNames.AUTHORIZATION, SERVICE)
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit("grant_type=client_credentials")) {
                token = res.as(JsonObject.class).getString("access_token");
            }
            JWKSet jwks;
            try (Http1ClientResponse res = rs256.client().get("/.well-known/jwks.json").request()) {
                jwks = JWKSet.parse(res.as(String.class));
            }
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(Forge.AT_JWT));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                                                                          new ImmutableJWKSet<>(jwks)));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                    "test-api",
                    new JWTClaimsSet.Builder().issuer("https://auth.test").subject("test-service")
                            .claim("client_id", "test-service").build(),
                    Set.of("iat", "exp", "jti", "scope")));
            assertThat(processor.process(token, null).getStringClaim("scope"), is("items"));
        }
    }

    // --- helpers

    private String grantedScope(String scope) {
        try (Http1ClientResponse res = token(SERVICE, "grant_type=client_credentials&scope=" + scope)) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class).getString("scope");
        }
    }

    private static Http1ClientResponse token(String authorization, String form) {
        var request = client.post("/token");
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return request.contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit(form);
    }

    static String basic(String clientId, String secret) {
        // RFC 6749 §2.3.1: each form-urlencoded first
        String pair = URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
