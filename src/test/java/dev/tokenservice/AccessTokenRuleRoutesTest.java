package dev.tokenservice;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.spi.ServerFeature;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpFeatures;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/**
 * The one access token rule, seen through every route that takes an access token: the protected routes, logout,
 * introspection and revocation refuse the same tokens, and accept the same ones. Nothing a refused token does
 * leaves a stack trace or an error in the log.
 */
@RoutingTest
class AccessTokenRuleRoutesTest {
    /** RFC 6750 §2.1 b64token: anything else is a malformed header (400) before it is a bad token (401). */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final String RESOURCE_SERVER = AbstractLifecycleTest.RESOURCE_SERVER;

    private final DirectClient client;
    private final String jti = UUID.randomUUID().toString();
    private final HostileTokens tokens = new HostileTokens(TestApp.hmacSecret(TestApp.sharedKeyFile()),
                                                           TestApp.activeKey(TestApp.sharedKeyFile())
                                                                   .getString("kid"),
                                                           jti, Instant.now());

    AccessTokenRuleRoutesTest(DirectClient client) {
        this.client = client;
    }

    @SetUpFeatures(false)
    static List<ServerFeature> features() {
        return TestApp.shared().features();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        TestApp.shared().routing(routing);
    }

    @Test
    void everyRouteRefusesEveryHostileTokenWithoutAStackTrace() {
        Map<String, String> refused = tokens.refused();
        try (CapturedLog log = new CapturedLog()) {
            refused.forEach((name, token) -> {
                assertRefused(name, client.get("/users/me"), token);
                assertRefused(name, client.get("/items/1"), token);
                assertRefused(name, client.post("/users/me/logout"), token);
                assertThat(name, introspect(token), is(AbstractLifecycleTest.INACTIVE));
                // as the client the valid token was issued to: were the token accepted, it would be revoked
                try (Http1ClientResponse res = revoke(token)) {
                    assertThat(name, res.status(), is(Status.OK_200));
                }
            });
            assertThat(log.problems(), is(empty()));
        }
        // every hostile token carried the jti of the valid one: none of them revoked it, through logout or /revoke
        String valid = tokens.valid();
        assertThat(TestApp.status(client, "/users/me", valid), is(200));
        assertThat(introspect(valid).getBoolean("active"), is(true));
    }

    @Test
    void everyRouteAcceptsWhatTheRuleAccepts() {
        tokens.accepted().forEach((name, token) -> {
            // a token without scope is valid, and allowed no route (RFC 6750 §3.1 insufficient_scope)
            int expected = name.equals("no scope") ? 403 : 200;
            assertThat(name, TestApp.status(client, "/users/me", token), is(expected));
            assertThat(name, TestApp.status(client, "/items/1", token), is(expected));
            JsonObject introspection = introspect(token);
            assertThat(name, introspection.getBoolean("active"), is(true));
            assertThat(name, introspection.getString("jti"), is(jti));
        });
    }

    @Test
    void revocationAndLogoutUseTheRule() {
        String valid = tokens.valid();
        try (Http1ClientResponse res = revoke(valid)) {
            assertThat(res.status(), is(Status.OK_200));
        }
        assertThat(TestApp.status(client, "/users/me", valid), is(401));
        assertThat(introspect(valid), is(AbstractLifecycleTest.INACTIVE));
    }

    private void assertRefused(String name, io.helidon.webclient.http1.Http1ClientRequest request, String token) {
        try (Http1ClientResponse res = request.header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
            boolean wellFormed = B64TOKEN.matcher(token).matches();
            String error = wellFormed ? "invalid_token" : "invalid_request";
            assertThat(name, res.status(), is(wellFormed ? Status.UNAUTHORIZED_401 : Status.BAD_REQUEST_400));
            assertThat(name, res.headers().get(HeaderNames.WWW_AUTHENTICATE).get(),
                       startsWith("Bearer error=\"" + error + "\""));
            assertThat(name, res.as(JsonObject.class).getString("error"), is(error));
        }
    }

    private JsonObject introspect(String token) {
        try (Http1ClientResponse res = form("/introspect", "token=" + encode(token))) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class);
        }
    }

    private Http1ClientResponse form(String path, String body) {
        return client.post(path)
                .header(HeaderNames.AUTHORIZATION, RESOURCE_SERVER)
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit(body);
    }

    private Http1ClientResponse revoke(String token) {
        return client.post("/revoke")
                .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                .submit("client_id=test-public&token=" + encode(token));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
