package dev.tokenservice;

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
    /** May obtain "me" and "items"; a user of the same name exists. */
    private static final String SERVICE = basic("test-service", "service-secret");
    /** May obtain "items" only. */
    private static final String BATCH = basic("test-batch", "service-secret");

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
            assertThat(body.getString("scope"), is("me items"));
            // RFC 6749 §4.4.3: a refresh token SHOULD NOT be included
            assertThat(body.keySet(), is(Set.of("access_token", "token_type", "expires_in", "scope")));

            // RFC 9068 §2.2: the client is the subject; no claim about a user
            SignedJWT jwt = SignedJWT.parse(body.getString("access_token"));
            assertThat(jwt.getHeader().getType().getType(), is("at+jwt"));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getSubject(), is("test-service"));
            assertThat(claims.getStringClaim("client_id"), is("test-service"));
            assertThat(claims.getStringClaim("gty"), is("client_credentials"));
            assertThat(claims.getStringClaim("scope"), is("me items"));
            assertThat(claims.getIssuer(), is("https://auth.test"));
            assertThat(claims.getAudience(), is(java.util.List.of("test-api")));
            // Helidon's JWT builder always writes the MicroProfile principal name upn, equal to sub: here the client
            assertThat(claims.getStringClaim("upn"), is("test-service"));
            assertThat(claims.getClaims().keySet(),
                       is(Set.of("iss", "sub", "aud", "iat", "exp", "jti", "scope", "client_id", "gty", "upn")));
        }
    }

    @Test
    void issuedTokensAreCountedByGrantType() {
        String meter = "tokens_issued_total\\{grant_type=\"client_credentials\"";
        double before = TestApp.metric(TestApp.metrics(client), meter);
        clientToken(BATCH, null);
        assertThat(TestApp.metric(TestApp.metrics(client), meter), is(before + 1));
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
        assertThat(grantedScope(BATCH, null), is("items"));
        assertThat(grantedScope(BATCH, "items"), is("items"));
        assertThat(grantedScope(SERVICE, "items"), is("items"));
        // as for users: what the client may not have is left out
        assertThat(grantedScope(BATCH, "me%20items"), is("items"));
        assertThat(AbstractApiTest.assertOAuthError(token(BATCH, "grant_type=client_credentials&scope=me"),
                                                    Status.BAD_REQUEST_400, "invalid_scope")
                           .getString("error_description"),
                   is("None of the requested scopes is allowed to this client, user or session"));
        AbstractApiTest.assertOAuthError(token(BATCH, "grant_type=client_credentials&scope=admin"),
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

    // --- never a user's token (point 2)

    @Test
    void routesForUsersRefuseAClientTokenEvenWhereAUserHasItsName() {
        // the token carries "me", and a user "test-service" exists: refused all the same, for what it is
        String token = clientToken(SERVICE, null);
        try (Http1ClientResponse res = get("/users/me", token)) {
            assertThat(res.status(), is(Status.FORBIDDEN_403));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                       is("Bearer error=\"insufficient_scope\", error_description=\"" + USER_ROUTE + "\""));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("error"), is("insufficient_scope"));
            assertThat(body.getString("error_description"), is(USER_ROUTE));
        }
        try (Http1ClientResponse res = client.post("/users/me/logout")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
            assertThat(res.status(), is(Status.FORBIDDEN_403));
            assertThat(res.as(JsonObject.class).getString("error_description"), is(USER_ROUTE));
        }
        // the refused logout revoked nothing
        assertThat(TestApp.status(client, "/items/1", token), is(200));
    }

    @Test
    void itemsServeAClientTokenAndNameTheClientAsOwner() {
        try (Http1ClientResponse res = get("/items/42", clientToken(BATCH, null))) {
            assertThat(res.status(), is(Status.OK_200));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getInt("item_id"), is(42));
            assertThat(body.getString("owner"), is("client:test-batch"));
        }
        try (Http1ClientResponse res = get("/items/42", clientToken(SERVICE, "me"))) {
            assertThat(res.status(), is(Status.FORBIDDEN_403));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                       is("Bearer error=\"insufficient_scope\", error_description=\"This route needs the scope"
                                  + " 'items'\", scope=\"items\""));
        }
    }

    @Test
    void userNamedLikeAClientIsAUserWithNoneOfTheClientsRights() {
        String token = TestApp.token(client, "test-service", "tess-password");
        try (Http1ClientResponse res = get("/users/me", token)) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.as(JsonObject.class).getString("full_name"), is("Tess Service"));
        }
        try (Http1ClientResponse res = get("/items/42", token)) {
            assertThat(res.as(JsonObject.class).getString("owner"), is("test-service"));
        }
        JsonObject introspection = introspect(token);
        assertThat(introspection.getString("username"), is("test-service"));
        assertThat(introspection.getString("client_id"), is("test-public"));
        assertThat(introspection.containsKey("gty"), is(false));
        // the client of that name did not get this token and may not revoke it
        AbstractApiTest.assertOAuthError(revoke(SERVICE, token), Status.BAD_REQUEST_400, "unauthorized_client");
        assertThat(TestApp.status(client, "/users/me", token), is(200));
    }

    // --- introspection, revocation, JWKS, removal (point 3)

    @Test
    void introspectionDescribesAClientTokenWithoutUser() throws Exception {
        String token = clientToken(BATCH, null);
        JsonObject introspection = introspect(token);
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(introspection.keySet(), is(Set.of("active", "sub", "scope", "client_id", "token_type", "gty", "exp",
                                                     "iat", "iss", "aud", "jti")));
        assertThat(introspection.getBoolean("active"), is(true));
        assertThat(introspection.getString("sub"), is("test-batch"));
        assertThat(introspection.getString("client_id"), is("test-batch"));
        assertThat(introspection.getString("scope"), is("items"));
        assertThat(introspection.getString("token_type"), is("Bearer"));
        assertThat(introspection.getString("gty"), is("client_credentials"));
        assertThat(introspection.getString("jti"), is(claims.getJWTID()));
        assertThat(introspection.getJsonNumber("exp").longValue(), is(claims.getExpirationTime().getTime() / 1000));
    }

    @Test
    void theClientRevokesItsToken() {
        String token = clientToken(BATCH, null);
        // RFC 7009 §2.1: only the client the token was issued to
        AbstractApiTest.assertOAuthError(revoke(SERVICE, token), Status.BAD_REQUEST_400, "unauthorized_client");
        assertThat(TestApp.status(client, "/items/1", token), is(200));
        try (Http1ClientResponse res = revoke(BATCH, token)) {
            assertThat(res.status(), is(Status.OK_200));
        }
        assertThat(TestApp.status(client, "/items/1", token), is(401));
        assertThat(introspect(token).getBoolean("active"), is(false));
    }

    @Test
    void clientTokenPassesOnlyForAClientThatMayStillHaveIt() {
        byte[] secret = TestApp.hmacSecret(TestApp.sharedKeyFile());
        String kid = TestApp.activeKey(TestApp.sharedKeyFile()).getString("kid");
        // control: the claims the service issues, signed with its key, pass
        String control = Forge.hs256(secret, kid, Forge.clientClaims("test-batch").build());
        assertThat(TestApp.status(client, "/items/1", control), is(200));

        Map<String, JWTClaimsSet> refused = Map.of(
                "client removed from configuration", Forge.clientClaims("gone-service").build(),
                "client no longer allowed the grant", Forge.clientClaims("test-confidential").build(),
                "a user's name, no such client", Forge.clientClaims("alice").build(),
                "sub is not the client", Forge.clientClaims("test-batch").subject("alice").build(),
                "client_id is not the sub", Forge.clientClaims("test-batch").claim("client_id", "test-service")
                        .build(),
                "no client_id", Forge.clientClaims("test-batch").claim("client_id", null).build(),
                "other gty", Forge.clientClaims("test-batch").claim("gty", "password").build(),
                "gty not a string", Forge.clientClaims("test-batch").claim("gty", true).build());
        refused.forEach((name, claims) -> {
            String token = Forge.hs256(secret, kid, claims);
            try (Http1ClientResponse res = get("/items/1", token)) {
                assertThat(name, res.status(), is(Status.UNAUTHORIZED_401));
                assertThat(name, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Bearer error=\"invalid_token\""));
            }
            assertThat(name, introspect(token).getBoolean("active"), is(false));
        });
    }

    @Test
    void removingTheClientStopsItsTokensOnTheNextRequest() {
        TestApp.Instance before = TestApp.create(Map.of());
        String token;
        try (TestApp.Running running = TestApp.start(before.server())) {
            token = clientToken(running.client(), BATCH, null);
            assertThat(TestApp.status(running.client(), "/items/1", token), is(200));
        }
        // the same keys, and test-batch renamed: removed
        java.util.List<io.helidon.config.Config> clients = TestApp.config(Map.of()).get("app.clients").asNodeList()
                .orElseThrow();
        int index = java.util.stream.IntStream.range(0, clients.size())
                .filter(i -> clients.get(i).get("client-id").asString().get().equals("test-batch"))
                .findFirst().orElseThrow();
        TestApp.Instance after = TestApp.create(Map.of("app.keys.file", before.keyFile().toString(),
                                                       "app.clients." + index + ".client-id", "test-batch-renamed"));
        try (TestApp.Running running = TestApp.start(after.server())) {
            AbstractApiTest.assertOAuthError(running.client().post("/token").header(HeaderNames.AUTHORIZATION, BATCH)
                                                     .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                                                     .submit("grant_type=client_credentials"),
                                             Status.UNAUTHORIZED_401, "invalid_client");
            assertThat(TestApp.status(running.client(), "/items/1", token), is(401));
            // and a user's token of the same keys still passes: only the client's tokens stopped
            assertThat(TestApp.status(running.client(), "/items/1",
                                      TestApp.token(running.client(), "alice", "alice-password")),
                       is(200));
        }
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
            assertThat(processor.process(token, null).getStringClaim("scope"), is("me items"));
        }
    }

    // --- helpers

    private static final String USER_ROUTE = "This route is for a user's token; a client's own token (client"
            + " credentials grant) cannot use it";

    private static String clientToken(String authorization, String scope) {
        return clientToken(client, authorization, scope);
    }

    private static String clientToken(Http1Client client, String authorization, String scope) {
        try (Http1ClientResponse res = client.post("/token").header(HeaderNames.AUTHORIZATION, authorization)
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=client_credentials" + (scope == null ? "" : "&scope=" + scope))) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class).getString("access_token");
        }
    }

    private static Http1ClientResponse get(String path, String token) {
        return client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + token).request();
    }

    private static JsonObject introspect(String token) {
        try (Http1ClientResponse res = client.post("/introspect")
                .header(HeaderNames.AUTHORIZATION, basic("test-rs", "rs-secret"))
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit("token=" + token)) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class);
        }
    }

    private static Http1ClientResponse revoke(String authorization, String token) {
        return client.post("/revoke").header(HeaderNames.AUTHORIZATION, authorization)
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit("token=" + token);
    }

    private static String grantedScope(String authorization, String scope) {
        try (Http1ClientResponse res = token(authorization, "grant_type=client_credentials"
                + (scope == null ? "" : "&scope=" + scope))) {
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
