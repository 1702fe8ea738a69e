package dev.tokenservice;

import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The HTTP behaviour of the token endpoint and the protected routes, run in memory and over a socket.
 */
abstract class AbstractApiTest {
    static final String FORM = MediaTypes.APPLICATION_FORM_URLENCODED.text();

    private final Http1Client client;

    AbstractApiTest(Http1Client client) {
        this.client = client;
    }

    // --- POST /token: success (RFC 6749 §5.1)

    @Test
    void passwordGrantAnswersRfc6749Success() throws Exception {
        try (Http1ClientResponse res = postToken("grant_type=password&username=alice&password=alice-password")) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            assertThat(res.headers().get(HeaderNames.PRAGMA).get(), is("no-cache"));
            assertThat(res.headers().contentType().orElseThrow().mediaType(), is(MediaTypes.APPLICATION_JSON));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("token_type"), is("Bearer"));
            assertThat(body.getJsonNumber("expires_in").isIntegral(), is(true));
            assertThat(body.getJsonNumber("expires_in").longValue(), is(1800L));
            assertThat(body.getString("scope"), is("me items"));

            SignedJWT jwt = SignedJWT.parse(body.getString("access_token"));
            assertThat(jwt.getHeader().getAlgorithm().getName(), is("HS256"));
            assertThat(jwt.getHeader().getType().getType(), is("at+jwt"));
            assertThat(jwt.getHeader().getKeyID(), is(TestApp.activeKey(TestApp.sharedKeyFile()).getString("kid")));
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getIssuer(), is("https://auth.test"));
            assertThat(claims.getSubject(), is("alice"));
            assertThat(claims.getAudience(), is(java.util.List.of("test-api")));
            assertThat(claims.getStringClaim("scope"), is("me items"));
            assertThat(claims.getJWTID().length() >= 32, is(true));
            long lifetime = (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000;
            assertThat(lifetime, is(1800L));
        }
    }

    @Test
    void everyLoginGetsItsOwnTokenId() throws Exception {
        String first = token("alice", "alice-password", null);
        String second = token("alice", "alice-password", null);
        assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID(),
                   not(SignedJWT.parse(second).getJWTClaimsSet().getJWTID()));
    }

    @Test
    void requestedScopeIsGrantedWithinTheUsersScopes() throws Exception {
        try (Http1ClientResponse res = postToken("grant_type=password&username=alice&password=alice-password"
                                                         + "&scope=items")) {
            assertThat(res.status(), is(Status.OK_200));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("scope"), is("items"));
            assertThat(SignedJWT.parse(body.getString("access_token")).getJWTClaimsSet().getStringClaim("scope"),
                       is("items"));
        }
        // bob may only have "me": asking for both gets "me"
        try (Http1ClientResponse res = postToken("grant_type=password&username=bob&password=bob-password"
                                                         + "&scope=me%20items")) {
            assertThat(res.as(JsonObject.class).getString("scope"), is("me"));
        }
    }

    @Test
    void scopeNotAllowedForUserIsInvalidScope() {
        assertOAuthError(postToken("grant_type=password&username=bob&password=bob-password&scope=items"),
                         Status.BAD_REQUEST_400, "invalid_scope");
    }

    @Test
    void unknownScopeIsInvalidScope() {
        assertOAuthError(postToken("grant_type=password&username=alice&password=alice-password&scope=admin"),
                         Status.BAD_REQUEST_400, "invalid_scope");
    }

    @Test
    void basicHeaderWithEmptySecretAndClientIdFieldAreAccepted() {
        // Swagger UI: an empty Basic header and the public client's id in the body
        try (Http1ClientResponse res = client.post("/token")
                .header(HeaderNames.AUTHORIZATION, "Basic Og==")
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=alice-password&client_id=test-public")) {
            assertThat(res.status(), is(Status.OK_200));
        }
        String publicClient = Base64.getEncoder().encodeToString("test-public:".getBytes());
        try (Http1ClientResponse res = client.post("/token")
                .header(HeaderNames.AUTHORIZATION, "Basic " + publicClient)
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=alice-password")) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @Test
    void clientSecretOfUnknownClientIsInvalidClient() {
        String basic = Base64.getEncoder().encodeToString("someone:secret".getBytes());
        try (Http1ClientResponse res = client.post("/token")
                .header(HeaderNames.AUTHORIZATION, "Basic " + basic)
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("grant_type=password&username=alice&password=alice-password")) {
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), startsWith("Basic"));
            assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
        }
    }

    // --- POST /token: errors (RFC 6749 §5.2)

    @Test
    void unknownUserAndWrongPasswordGetTheSameAnswer() {
        JsonObject unknown = assertOAuthError(postToken("grant_type=password&username=nobody&password=alice-password"),
                                              Status.BAD_REQUEST_400, "invalid_grant");
        JsonObject wrong = assertOAuthError(postToken("grant_type=password&username=alice&password=wrong"),
                                            Status.BAD_REQUEST_400, "invalid_grant");
        assertThat(unknown, is(wrong));
    }

    @Test
    void disabledUserCannotLogIn() {
        JsonObject body = assertOAuthError(postToken("grant_type=password&username=carol&password=carol-password"),
                                           Status.BAD_REQUEST_400, "invalid_grant");
        assertThat(body.getString("error_description"), is("Incorrect username or password"));
    }

    @Test
    void passwordLongerThanBcryptReadsFailsCleanly() {
        // alice's password followed by enough bytes to pass 72: bcrypt alone would ignore the tail
        String longPassword = "alice-password" + "x".repeat(80);
        assertOAuthError(postToken("grant_type=password&username=alice&password=" + longPassword),
                         Status.BAD_REQUEST_400, "invalid_grant");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "username=alice&password=alice-password",
            "grant_type=&username=alice&password=alice-password",
            "grant_type=password&password=alice-password",
            "grant_type=password&username=&password=alice-password",
            "grant_type=password&username=alice",
            "grant_type=password&username=alice&username=alice&password=alice-password",
            "grant_type=password&grant_type=password&username=alice&password=alice-password",
            "grant_type=password&username=%zz&password=x"
    })
    void malformedTokenRequestsAreInvalidRequest(String form) {
        assertOAuthError(postToken(form), Status.BAD_REQUEST_400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"authorization_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"})
    void otherGrantTypesAreUnsupported(String grantType) {
        assertOAuthError(postToken("grant_type=" + grantType + "&username=alice&password=alice-password"),
                         Status.BAD_REQUEST_400, "unsupported_grant_type");
    }

    @Test
    void jsonBodyIsInvalidRequest() {
        try (Http1ClientResponse res = client.post("/token")
                .contentType(MediaTypes.APPLICATION_JSON)
                .submit("{\"grant_type\":\"password\",\"username\":\"alice\",\"password\":\"alice-password\"}")) {
            assertOAuthError(res, Status.BAD_REQUEST_400, "invalid_request");
        }
    }

    @Test
    void otherContentTypesAreInvalidRequest() {
        try (Http1ClientResponse res = client.post("/token")
                .contentType(MediaTypes.TEXT_PLAIN)
                .submit("grant_type=password&username=alice&password=alice-password")) {
            assertOAuthError(res, Status.BAD_REQUEST_400, "invalid_request");
        }
    }

    @Test
    void wrongMethodOnTokenIs405Json() {
        try (Http1ClientResponse res = client.get("/token").request()) {
            assertThat(res.status(), is(Status.METHOD_NOT_ALLOWED_405));
            assertThat(res.headers().get(HeaderNames.ALLOW).get(), is("POST"));
            assertThat(res.as(JsonObject.class).getString("error"), is("method_not_allowed"));
        }
    }

    @Test
    void unknownRouteIs404Json() {
        try (Http1ClientResponse res = client.get("/no/such/route").request()) {
            assertThat(res.status(), is(Status.NOT_FOUND_404));
            assertThat(res.as(JsonObject.class).getString("error"), is("not_found"));
        }
    }

    // --- protected routes (RFC 6750)

    @Test
    void usersMeAnswersTheCallersProfile() {
        String token = token("alice", "alice-password", null);
        try (Http1ClientResponse res = get("/users/me", "Bearer " + token)) {
            assertThat(res.status(), is(Status.OK_200));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("username"), is("alice"));
            assertThat(body.getString("full_name"), is("Alice Liddell"));
            assertThat(body.getString("email"), is("alice@example.test"));
            assertThat(body.getBoolean("disabled"), is(false));
        }
    }

    @Test
    void itemsAnswersTheItemAndItsOwner() {
        String token = token("alice", "alice-password", null);
        try (Http1ClientResponse res = get("/items/42", "Bearer " + token)) {
            assertThat(res.status(), is(Status.OK_200));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getJsonNumber("item_id").isIntegral(), is(true));
            assertThat(body.getInt("item_id"), is(42));
            assertThat(body.getString("owner"), is("alice"));
        }
        try (Http1ClientResponse res = get("/items/2147483647", "Bearer " + token)) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-1", "2147483648", "99999999999", "4.2", "1e3"})
    void badItemIdIs400(String itemId) {
        String token = token("alice", "alice-password", null);
        try (Http1ClientResponse res = get("/items/" + itemId, "Bearer " + token)) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
            assertThat(res.as(JsonObject.class).getString("error"), is("invalid_item_id"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/me", "/items/1"})
    void noTokenIs401WithBareBearerChallenge(String path) {
        try (Http1ClientResponse res = client.get(path).request()) {
            assertThat(res.status(), is(Status.UNAUTHORIZED_401));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), is("Bearer"));
            assertThat(res.as(JsonObject.class).getString("error"), is("missing_token"));
        }
    }

    @Test
    void otherAuthorizationSchemeIsNoToken() {
        try (Http1ClientResponse res = get("/users/me", "Basic Og==")) {
            assertThat(res.status(), is(Status.UNAUTHORIZED_401));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), is("Bearer"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER ", "Bearer "})
    void bearerSchemeIsCaseInsensitive(String scheme) {
        String token = token("alice", "alice-password", null);
        try (Http1ClientResponse res = get("/users/me", scheme + token)) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @Test
    void tokenInQueryStringIsRefused() {
        String token = token("alice", "alice-password", null);
        try (Http1ClientResponse res = client.get("/users/me").queryParam("access_token", token).request()) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                       startsWith("Bearer error=\"invalid_request\""));
            assertThat(res.as(JsonObject.class).getString("error"), is("invalid_request"));
        }
    }

    @Test
    void missingScopeIs403InsufficientScope() {
        String token = token("alice", "alice-password", "me");
        try (Http1ClientResponse res = get("/items/1", "Bearer " + token)) {
            assertThat(res.status(), is(Status.FORBIDDEN_403));
            String challenge = res.headers().get(HeaderNames.WWW_AUTHENTICATE).get();
            assertThat(challenge, startsWith("Bearer error=\"insufficient_scope\""));
            assertThat(challenge, containsString("scope=\"items\""));
            assertThat(res.as(JsonObject.class).getString("error"), is("insufficient_scope"));
        }
        try (Http1ClientResponse res = get("/users/me", "Bearer " + token)) {
            assertThat(res.status(), is(Status.OK_200));
        }
    }

    @Test
    void refusedTokensAre401InvalidToken() throws Exception {
        byte[] secret = TestApp.hmacSecret(TestApp.sharedKeyFile());
        String kid = TestApp.activeKey(TestApp.sharedKeyFile()).getString("kid");
        String issued = token("alice", "alice-password", null);
        byte[] otherSecret = new byte[32];
        new java.security.SecureRandom().nextBytes(otherSecret);
        JWTClaimsSet valid = Forge.validClaims("alice").build();

        // a token forged with the right key and claims passes: the refusals below are due to what they change
        assertThat(TestApp.usersMe(client, Forge.hs256(secret, kid, valid)), is(200));

        Map<String, String> refused = Map.ofEntries(
                Map.entry("alg none without kid", Forge.unsigned("{\"alg\":\"none\"}", valid)),
                Map.entry("alg none with kid",
                          Forge.unsigned("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}", valid)),
                Map.entry("no alg with kid", Forge.unsigned("{\"kid\":\"" + kid + "\"}", valid)),
                Map.entry("tampered payload", Forge.withPayload(
                        issued, new JWTClaimsSet.Builder(SignedJWT.parse(issued).getJWTClaimsSet())
                                .subject("bob").build())),
                Map.entry("other key, same kid", Forge.hs256(otherSecret, kid, valid)),
                Map.entry("unknown kid", Forge.hs256(secret, "no-such-kid", valid)),
                Map.entry("no kid", Forge.hs256(secret, null, valid)),
                Map.entry("expired", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .expirationTime(new java.util.Date(System.currentTimeMillis() - 60_000)).build())),
                Map.entry("wrong iss", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .issuer("https://evil.test").build())),
                Map.entry("no iss", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .issuer(null).build())),
                Map.entry("wrong aud", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .audience("other-api").build())),
                Map.entry("no aud", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .audience((String) null).build())),
                Map.entry("no exp", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .expirationTime(null).build())),
                Map.entry("typ JWT, not an access token", Forge.hs256(secret, kid, JOSEObjectType.JWT, valid)),
                Map.entry("no typ", Forge.hs256(secret, kid, null, valid)),
                Map.entry("not a JWT", "abc.def.ghi"));
        refused.forEach((name, token) -> {
            try (Http1ClientResponse res = get("/users/me", "Bearer " + token)) {
                assertThat(name, res.status(), is(Status.UNAUTHORIZED_401));
                assertThat(name, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Bearer error=\"invalid_token\""));
                assertThat(name, res.as(JsonObject.class).getString("error"), is("invalid_token"));
            }
        });
    }

    @Test
    void tokenOfDisabledOrRemovedUserIsInvalidToken() {
        byte[] secret = TestApp.hmacSecret(TestApp.sharedKeyFile());
        String kid = TestApp.activeKey(TestApp.sharedKeyFile()).getString("kid");
        for (String user : new String[] {"carol", "ghost"}) {
            try (Http1ClientResponse res = get("/users/me", "Bearer "
                    + Forge.hs256(secret, kid, Forge.validClaims(user).build()))) {
                assertThat(user, res.status(), is(Status.UNAUTHORIZED_401));
                assertThat(user, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Bearer error=\"invalid_token\""));
            }
        }
    }

    @Test
    void malformedBearerHeaderIs400() {
        try (Http1ClientResponse res = get("/users/me", "Bearer a b")) {
            assertThat(res.status(), is(Status.BAD_REQUEST_400));
            assertThat(res.as(JsonObject.class).getString("error"), is("invalid_request"));
        }
    }

    @Test
    void wrongMethodOnProtectedRouteIs405() {
        try (Http1ClientResponse res = client.delete("/users/me").request()) {
            assertThat(res.status(), is(Status.METHOD_NOT_ALLOWED_405));
            assertThat(res.headers().get(HeaderNames.ALLOW).get(), is("GET"));
        }
    }

    // --- helpers

    Http1ClientResponse postToken(String form) {
        return client.post("/token").header(HeaderNames.CONTENT_TYPE, FORM).submit(form);
    }

    Http1ClientResponse get(String path, String authorization) {
        return client.get(path).header(HeaderNames.AUTHORIZATION, authorization).request();
    }

    String token(String username, String password, String scope) {
        String form = "grant_type=password&username=" + username + "&password=" + password
                + (scope == null ? "" : "&scope=" + scope);
        try (Http1ClientResponse res = postToken(form)) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class).getString("access_token");
        }
    }

    static JsonObject assertOAuthError(Http1ClientResponse res, Status status, String error) {
        try (res) {
            assertThat(res.status(), is(status));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("error"), is(error));
            String description = body.getString("error_description");
            assertThat(description.isEmpty(), is(false));
            // RFC 6749 §5.2: error_description is printable ASCII without '"' and '\'
            assertThat(description, description.matches("[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+"), is(true));
            return body;
        }
    }
}
