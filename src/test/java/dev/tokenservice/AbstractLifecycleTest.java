package dev.tokenservice;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.tokenservice.AbstractApiTest.assertOAuthError;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * The token lifecycle over HTTP: client authentication, refresh with rotation and reuse detection, revocation
 * (RFC 7009), introspection (RFC 7662) and logout everywhere. Run in memory and over a socket.
 */
abstract class AbstractLifecycleTest {
    static final String CONFIDENTIAL = "test-confidential";
    static final String CONFIDENTIAL_SECRET = "confidential-secret";
    static final String RESOURCE_SERVER = basic("test-rs", "rs-secret");
    static final JsonObject INACTIVE = Json.createObjectBuilder().add("active", false).build();

    private final Http1Client client;

    AbstractLifecycleTest(Http1Client client) {
        this.client = client;
    }

    // --- client authentication at the token endpoint (RFC 6749 §2.3.1)

    @Test
    void confidentialClientAuthenticatesWithBasicOrInTheBody() {
        JsonObject basic = ok(post("/token", login("alice"), basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)));
        assertThat(claims(basic.getString("access_token")).getClaim("client_id"), is(CONFIDENTIAL));
        assertThat(basic.containsKey("refresh_token"), is(true));
        JsonObject body = ok(post("/token", login("alice") + "&client_id=" + CONFIDENTIAL + "&client_secret="
                + CONFIDENTIAL_SECRET, null));
        assertThat(claims(body.getString("access_token")).getClaim("client_id"), is(CONFIDENTIAL));
    }

    @Test
    void basicCredentialsAreFormUrlEncodedFirst() {
        String id = "test:special client";
        String secret = "p@ss:w rd+%&é";
        ok(post("/token", login("alice"), basic(id, secret)));
        // the same credentials not form-urlencoded: the id ends at the first ':'
        String raw = "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret)
                                                                          .getBytes(StandardCharsets.UTF_8));
        assertOAuthError(post("/token", login("alice"), raw), Status.UNAUTHORIZED_401, "invalid_client");
        // in the body, the form encoding is the only one
        ok(post("/token", login("alice") + "&client_id=" + encode(id) + "&client_secret=" + encode(secret), null));
    }

    @Test
    void credentialsInHeaderAndBodyAreInvalidRequest() {
        assertOAuthError(post("/token", login("alice") + "&client_secret=" + CONFIDENTIAL_SECRET,
                              basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)),
                         Status.BAD_REQUEST_400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"header", "body"})
    void wrongSecretIs401InvalidClientWithBasicChallenge(String where) {
        try (Http1ClientResponse res = where.equals("header")
                ? post("/token", login("alice"), basic(CONFIDENTIAL, "wrong"))
                : post("/token", login("alice") + "&client_id=" + CONFIDENTIAL + "&client_secret=wrong", null)) {
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), startsWith("Basic realm=\"token\""));
            assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
        }
    }

    @Test
    void unknownClientIdIsInvalidClient() {
        assertOAuthError(post("/token", login("alice") + "&client_id=nobody", null),
                         Status.UNAUTHORIZED_401, "invalid_client");
        assertOAuthError(post("/token", login("alice"), basic("nobody", "")), Status.UNAUTHORIZED_401,
                         "invalid_client");
    }

    @Test
    void publicClientSendingASecretIsInvalidClient() {
        assertOAuthError(post("/token", login("alice"), basic("test-public", "a-secret")),
                         Status.UNAUTHORIZED_401, "invalid_client");
    }

    @Test
    void noCredentialsOrAnEmptyBasicIdIsTheDefaultPublicClient() {
        for (String authorization : new String[] {null, "Basic Og=="}) {
            JsonObject body = ok(post("/token", login("alice"), authorization));
            assertThat(claims(body.getString("access_token")).getClaim("client_id"), is("test-public"));
            assertThat(body.containsKey("refresh_token"), is(true));
        }
    }

    @Test
    void grantTypeNotAllowedForTheClientIsUnauthorizedClient() {
        assertOAuthError(post("/token", login("alice") + "&client_id=test-refresh-only", null),
                         Status.BAD_REQUEST_400, "unauthorized_client");
        String refreshToken = ok(post("/token", login("alice"), null)).getString("refresh_token");
        assertOAuthError(post("/token", "grant_type=refresh_token&refresh_token=" + refreshToken
                + "&client_id=test-password-only", null), Status.BAD_REQUEST_400, "unauthorized_client");
    }

    @Test
    void clientWithoutRefreshGrantGetsNoRefreshTokenAndOnlyItsScopes() {
        JsonObject body = ok(post("/token", login("alice") + "&client_id=test-password-only", null));
        assertThat(body.containsKey("refresh_token"), is(false));
        // alice may have "me items", the client only "me"
        assertThat(body.getString("scope"), is("me"));
        assertOAuthError(post("/token", login("alice") + "&scope=items&client_id=test-password-only", null),
                         Status.BAD_REQUEST_400, "invalid_scope");
    }

    // --- refresh (RFC 6749 §6) with rotation (RFC 9700 §4.14.2)

    @Test
    void refreshReturnsNewAccessAndRefreshTokens() {
        JsonObject login = ok(post("/token", login("alice"), null));
        String first = login.getString("refresh_token");
        assertThat(first.matches("[A-Za-z0-9_-]{43}"), is(true));

        try (Http1ClientResponse res = refresh(first, null, null)) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            assertThat(res.headers().get(HeaderNames.PRAGMA).get(), is("no-cache"));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.getString("token_type"), is("Bearer"));
            assertThat(body.getInt("expires_in"), is(1800));
            assertThat(body.getString("scope"), is("me items"));
            assertThat(body.getString("refresh_token"), not(first));
            assertThat(body.getString("access_token"), not(login.getString("access_token")));
            assertThat(status("/users/me", body.getString("access_token")), is(Status.OK_200));
            ok(refresh(body.getString("refresh_token"), null, null));
        }
    }

    @Test
    void refreshMayNarrowTheScopeButNeverWidenIt() {
        String refreshToken = ok(post("/token", login("alice"), null)).getString("refresh_token");
        JsonObject narrowed = ok(refresh(refreshToken, "items", null));
        assertThat(narrowed.getString("scope"), is("items"));
        assertThat(status("/users/me", narrowed.getString("access_token")), is(Status.FORBIDDEN_403));
        // RFC 6749 §6: the family keeps the scope of the login
        JsonObject full = ok(refresh(narrowed.getString("refresh_token"), null, null));
        assertThat(full.getString("scope"), is("me items"));

        String meOnly = ok(post("/token", login("alice") + "&scope=me", null)).getString("refresh_token");
        assertOAuthError(refresh(meOnly, "me items", null), Status.BAD_REQUEST_400, "invalid_scope");
        // refused before the token was used: it still works
        assertThat(ok(refresh(meOnly, null, null)).getString("scope"), is("me"));
    }

    @Test
    void reusedRefreshTokenRevokesTheWholeFamily() {
        JsonObject login = ok(post("/token", login("alice"), null));
        JsonObject rotated = ok(refresh(login.getString("refresh_token"), null, null));

        JsonObject error = assertOAuthError(refresh(login.getString("refresh_token"), null, null),
                                            Status.BAD_REQUEST_400, "invalid_grant");
        assertThat(error.getString("error_description"), startsWith("The refresh token was used before"));
        // the newest token of the family fails too, and the access tokens issued under it
        assertOAuthError(refresh(rotated.getString("refresh_token"), null, null), Status.BAD_REQUEST_400,
                         "invalid_grant");
        assertInvalidToken(rotated.getString("access_token"));
        assertInvalidToken(login.getString("access_token"));
    }

    @Test
    void refreshTokenOfAnotherClientIsInvalidGrantAndStaysValid() {
        String refreshToken = ok(post("/token", login("alice"), basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)))
                .getString("refresh_token");
        assertOAuthError(refresh(refreshToken, null, null), Status.BAD_REQUEST_400, "invalid_grant");
        // a confidential client must authenticate to refresh (RFC 6749 §6)
        assertOAuthError(refresh(refreshToken, null, basic(CONFIDENTIAL, "wrong")), Status.UNAUTHORIZED_401,
                         "invalid_client");
        ok(refresh(refreshToken, null, basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)));
    }

    @Test
    void missingOrUnknownRefreshTokenIsRefused() {
        assertOAuthError(post("/token", "grant_type=refresh_token", null), Status.BAD_REQUEST_400,
                         "invalid_request");
        assertOAuthError(refresh("not-a-refresh-token", null, null), Status.BAD_REQUEST_400, "invalid_grant");
        assertOAuthError(refresh(ok(post("/token", login("alice"), null)).getString("access_token"), null, null),
                         Status.BAD_REQUEST_400, "invalid_grant");
    }

    // --- revocation (RFC 7009)

    @Test
    void revokingARefreshTokenRevokesItsFamilyAndItsAccessTokens() {
        JsonObject login = ok(post("/token", login("alice"), null));
        JsonObject rotated = ok(refresh(login.getString("refresh_token"), null, null));

        assertRevoked(post("/revoke", "token=" + rotated.getString("refresh_token"), null));
        assertOAuthError(refresh(rotated.getString("refresh_token"), null, null), Status.BAD_REQUEST_400,
                         "invalid_grant");
        // RFC 7009 §2.1: the access tokens of the same grant go too
        assertInvalidToken(rotated.getString("access_token"));
        assertInvalidToken(login.getString("access_token"));
    }

    @Test
    void revokedAccessTokenIsRefusedOnEveryProtectedRoute() {
        JsonObject login = ok(post("/token", login("alice"), null));
        String accessToken = login.getString("access_token");
        assertThat(status("/items/1", accessToken), is(Status.OK_200));

        assertRevoked(post("/revoke", "token=" + accessToken + "&token_type_hint=access_token", null));
        for (String path : new String[] {"/users/me", "/items/1"}) {
            try (Http1ClientResponse res = get(path, accessToken)) {
                assertThat(path, res.status(), is(Status.UNAUTHORIZED_401));
                assertThat(path, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Bearer error=\"invalid_token\""));
            }
        }
        // only that access token: the refresh token of the login still works
        ok(refresh(login.getString("refresh_token"), null, null));
    }

    @Test
    void unknownGarbageExpiredAndAlreadyRevokedTokensGet200() {
        String refreshToken = ok(post("/token", login("alice"), null)).getString("refresh_token");
        assertRevoked(post("/revoke", "token=" + refreshToken, null));
        byte[] secret = TestApp.hmacSecret(TestApp.sharedKeyFile());
        String kid = TestApp.activeKey(TestApp.sharedKeyFile()).getString("kid");
        String expired = Forge.hs256(secret, kid, Forge.validClaims("alice").claim("client_id", "test-public")
                .expirationTime(new Date(System.currentTimeMillis() - 60_000)).build());
        for (String token : List.of(refreshToken, "garbage", "a.b.c", "x".repeat(5000), expired,
                                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) {
            assertRevoked(post("/revoke", "token=" + encode(token), null));
        }
    }

    @Test
    void unsupportedTokenTypeHintIsIgnored() {
        String refreshToken = ok(post("/token", login("alice"), null)).getString("refresh_token");
        assertRevoked(post("/revoke", "token=" + refreshToken + "&token_type_hint=id_token", null));
        assertOAuthError(refresh(refreshToken, null, null), Status.BAD_REQUEST_400, "invalid_grant");
        // a wrong hint does not stop the search either (§2.1)
        String accessToken = ok(post("/token", login("alice"), null)).getString("access_token");
        assertRevoked(post("/revoke", "token=" + accessToken + "&token_type_hint=refresh_token", null));
        assertInvalidToken(accessToken);
    }

    @Test
    void tokenOfAnotherClientIsNotRevoked() {
        JsonObject login = ok(post("/token", login("alice"), basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)));
        assertOAuthError(post("/revoke", "token=" + login.getString("refresh_token"), null),
                         Status.BAD_REQUEST_400, "unauthorized_client");
        assertOAuthError(post("/revoke", "token=" + login.getString("access_token"), RESOURCE_SERVER),
                         Status.BAD_REQUEST_400, "unauthorized_client");
        assertThat(status("/users/me", login.getString("access_token")), is(Status.OK_200));
        // its own client may
        assertRevoked(post("/revoke", "token=" + login.getString("refresh_token"),
                           basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)));
        assertInvalidToken(login.getString("access_token"));
    }

    @Test
    void revocationChecksTheRequestAndTheClient() {
        assertOAuthError(post("/revoke", "token_type_hint=access_token", null), Status.BAD_REQUEST_400,
                         "invalid_request");
        try (Http1ClientResponse res = post("/revoke", "token=abc", basic(CONFIDENTIAL, "wrong"))) {
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), startsWith("Basic"));
            assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
        }
        assertMethodNotAllowed("/revoke");
    }

    // --- introspection (RFC 7662)

    @Test
    void activeAccessTokenIsIntrospectedWithItsClaims() throws Exception {
        String accessToken = ok(post("/token", login("alice"), null)).getString("access_token");
        JWTClaimsSet claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
        try (Http1ClientResponse res = post("/introspect", "token=" + accessToken, RESOURCE_SERVER)) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            assertThat(res.headers().get(HeaderNames.PRAGMA).get(), is("no-cache"));
            JsonObject body = res.as(JsonObject.class);
            assertThat(body.keySet(), is(Set.of("active", "sub", "username", "scope", "client_id", "token_type", "exp",
                                                "iat", "iss", "aud", "jti")));
            assertThat(body.getBoolean("active"), is(true));
            assertThat(body.getString("sub"), is("alice"));
            assertThat(body.getString("username"), is("alice"));
            assertThat(body.getString("scope"), is("me items"));
            assertThat(body.getString("client_id"), is("test-public"));
            assertThat(body.getString("token_type"), is("Bearer"));
            assertThat(body.getJsonNumber("exp").longValue(), is(claims.getExpirationTime().getTime() / 1000));
            assertThat(body.getJsonNumber("iat").longValue(), is(claims.getIssueTime().getTime() / 1000));
            assertThat(body.getString("iss"), is("https://auth.test"));
            assertThat(body.getString("aud"), is("test-api"));
            assertThat(body.getString("jti"), is(claims.getJWTID()));
        }
        // in the body as well as with Basic
        assertThat(introspect(accessToken, "&client_id=test-rs&client_secret=rs-secret", null)
                           .getBoolean("active"), is(true));
        // a client whose secret hash is the SHA-256 form of the client-secret command
        String fastClient = basic("test-rs-fast", "test-rs-fast-secret-0123456789abcdefghijklmnopq");
        assertThat(introspect(accessToken, "", fastClient).getBoolean("active"), is(true));
    }

    @Test
    void everyInactiveTokenIsExactlyActiveFalse() {
        byte[] secret = TestApp.hmacSecret(TestApp.sharedKeyFile());
        String kid = TestApp.activeKey(TestApp.sharedKeyFile()).getString("kid");
        byte[] otherSecret = new byte[32];
        new SecureRandom().nextBytes(otherSecret);
        JWTClaimsSet valid = Forge.validClaims("alice").claim("client_id", "test-public").build();
        // the forged token passes when nothing is wrong with it: the refusals below are due to what they change
        assertThat(introspect(Forge.hs256(secret, kid, valid), "", RESOURCE_SERVER).getBoolean("active"), is(true));

        JsonObject login = ok(post("/token", login("alice"), null));
        String revoked = ok(post("/token", login("alice"), null)).getString("access_token");
        assertRevoked(post("/revoke", "token=" + revoked, null));
        Map<String, String> inactive = Map.ofEntries(
                Map.entry("garbage", "garbage"),
                Map.entry("revoked", revoked),
                Map.entry("refresh token", login.getString("refresh_token")),
                Map.entry("expired", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .expirationTime(new Date(System.currentTimeMillis() - 1_000)).build())),
                Map.entry("other key", Forge.hs256(otherSecret, kid, valid)),
                Map.entry("alg none", Forge.unsigned("{\"alg\":\"none\"}", valid)),
                Map.entry("alg none with kid", Forge.unsigned("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}", valid)),
                Map.entry("no kid", Forge.hs256(secret, null, valid)),
                Map.entry("typ JWT, not an access token",
                          Forge.hs256(secret, kid, com.nimbusds.jose.JOSEObjectType.JWT, valid)),
                Map.entry("wrong issuer", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .issuer("https://evil.test").build())),
                Map.entry("wrong audience", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .audience("other-api").build())),
                Map.entry("not yet valid", Forge.hs256(secret, kid, new JWTClaimsSet.Builder(valid)
                        .notBeforeTime(new Date(System.currentTimeMillis() + 60_000)).build())),
                Map.entry("disabled user", Forge.hs256(secret, kid, Forge.validClaims("carol").build())),
                Map.entry("removed user", Forge.hs256(secret, kid, Forge.validClaims("ghost").build())));
        inactive.forEach((name, token) -> assertThat(name, introspect(token, "", RESOURCE_SERVER), is(INACTIVE)));
    }

    @Test
    void introspectionNeedsAConfidentialClient() {
        String accessToken = ok(post("/token", login("alice"), null)).getString("access_token");
        for (String authorization : new String[] {null, "Basic Og==", basic("test-public", ""),
                basic("test-rs", "wrong")}) {
            try (Http1ClientResponse res = post("/introspect", "token=" + accessToken, authorization)) {
                assertThat(String.valueOf(authorization), res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                           startsWith("Basic"));
                assertOAuthError(res, Status.UNAUTHORIZED_401, "invalid_client");
            }
        }
        assertOAuthError(post("/introspect", "token_type_hint=access_token", RESOURCE_SERVER),
                         Status.BAD_REQUEST_400, "invalid_request");
        assertMethodNotAllowed("/introspect");
    }

    // --- logout everywhere

    @Test
    void logoutRevokesEveryRefreshFamilyOfTheUserAndTheCallingToken() {
        JsonObject laptop = ok(post("/token", login("dave"), null));
        JsonObject phone = ok(post("/token", login("dave"), null));
        JsonObject server = ok(post("/token", login("dave"), basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)));
        JsonObject alice = ok(post("/token", login("alice"), null));

        try (Http1ClientResponse res = client.post("/users/me/logout")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + laptop.getString("access_token")).request()) {
            assertThat(res.status(), is(Status.NO_CONTENT_204));
        }
        assertInvalidToken(laptop.getString("access_token"));
        for (JsonObject session : List.of(laptop, phone)) {
            assertOAuthError(refresh(session.getString("refresh_token"), null, null), Status.BAD_REQUEST_400,
                             "invalid_grant");
            assertInvalidToken(session.getString("access_token"));
        }
        assertOAuthError(refresh(server.getString("refresh_token"), null, basic(CONFIDENTIAL, CONFIDENTIAL_SECRET)),
                         Status.BAD_REQUEST_400, "invalid_grant");
        assertInvalidToken(server.getString("access_token"));
        // another user is not logged out
        assertThat(status("/users/me", alice.getString("access_token")), is(Status.OK_200));
        ok(refresh(alice.getString("refresh_token"), null, null));
    }

    @Test
    void logoutIsAProtectedPost() {
        try (Http1ClientResponse res = client.post("/users/me/logout").request()) {
            assertThat(res.status(), is(Status.UNAUTHORIZED_401));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(), is("Bearer"));
        }
        String itemsOnly = ok(post("/token", login("dave") + "&scope=items", null)).getString("access_token");
        try (Http1ClientResponse res = client.post("/users/me/logout")
                .header(HeaderNames.AUTHORIZATION, "Bearer " + itemsOnly).request()) {
            assertThat(res.status(), is(Status.FORBIDDEN_403));
        }
        assertThat(status("/items/1", itemsOnly), is(Status.OK_200));
        try (Http1ClientResponse res = client.get("/users/me/logout").request()) {
            assertThat(res.status(), is(Status.METHOD_NOT_ALLOWED_405));
            assertThat(res.headers().get(HeaderNames.ALLOW).get(), is("POST"));
        }
    }

    // --- helpers

    static String basic(String id, String secret) {
        // RFC 6749 §2.3.1: form-urlencode both, then Basic
        return "Basic " + Base64.getEncoder().encodeToString((encode(id) + ":" + encode(secret))
                                                                     .getBytes(StandardCharsets.US_ASCII));
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String login(String username) {
        return "grant_type=password&username=" + username + "&password=" + username + "-password";
    }

    Http1ClientResponse post(String path, String form, String authorization) {
        Http1ClientRequest request = client.post(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        return request.contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit(form);
    }

    Http1ClientResponse refresh(String refreshToken, String scope, String authorization) {
        return post("/token", "grant_type=refresh_token&refresh_token=" + encode(refreshToken)
                + (scope == null ? "" : "&scope=" + encode(scope)), authorization);
    }

    JsonObject introspect(String token, String extra, String authorization) {
        try (Http1ClientResponse res = post("/introspect", "token=" + encode(token) + extra, authorization)) {
            assertThat(res.status(), is(Status.OK_200));
            assertThat(res.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            return res.as(JsonObject.class);
        }
    }

    Http1ClientResponse get(String path, String accessToken) {
        return client.get(path).header(HeaderNames.AUTHORIZATION, "Bearer " + accessToken).request();
    }

    Status status(String path, String accessToken) {
        try (Http1ClientResponse res = get(path, accessToken)) {
            return res.status();
        }
    }

    void assertInvalidToken(String accessToken) {
        try (Http1ClientResponse res = get("/users/me", accessToken)) {
            assertThat(res.status(), is(Status.UNAUTHORIZED_401));
            assertThat(res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                       startsWith("Bearer error=\"invalid_token\""));
        }
    }

    void assertMethodNotAllowed(String path) {
        try (Http1ClientResponse res = client.get(path).request()) {
            assertThat(res.status(), is(Status.METHOD_NOT_ALLOWED_405));
            assertThat(res.headers().get(HeaderNames.ALLOW).get(), is("POST"));
            assertThat(res.as(JsonObject.class).getString("error"), is("method_not_allowed"));
        }
    }

    static JsonObject ok(Http1ClientResponse response) {
        try (response) {
            assertThat(response.status(), is(Status.OK_200));
            return response.as(JsonObject.class);
        }
    }

    static void assertRevoked(Http1ClientResponse response) {
        try (response) {
            assertThat(response.status(), is(Status.OK_200));
            assertThat(response.headers().get(HeaderNames.CACHE_CONTROL).get(), is("no-store"));
            assertThat(response.headers().get(HeaderNames.PRAGMA).get(), is("no-cache"));
        }
    }

    static JWTClaimsSet claims(String accessToken) {
        try {
            return SignedJWT.parse(accessToken).getJWTClaimsSet();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }
}
