package dev.tokenservice;

import dev.tokenservice.config.ConfigKeys;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The top-level {@code application.yaml} as shipped: the demo users of the classic example log in with their
 * documented passwords, through the default public client, and the demo resource server introspects their tokens
 * with its documented secret. Only the key file and the port are changed.
 */
class ShippedConfigTest {
    @ParameterizedTest
    @CsvSource({"john.doe, securepassword, John Doe", "jane.smith, anothersecurepass, Jane Smith"})
    void demoUsersLogInWithTheirDocumentedPasswords(String username, String password, String fullName) {
        Config shipped = TestApp.shippedConfig();
        assertThat(shipped.get("app.keys.generate").asBoolean().get(), is(true));
        assertThat(shipped.get("app.users.0.demo").asBoolean().get(), is(true));

        try (TestApp.Running running = TestApp.start(AuthServer.create(shipped))) {
            String token;
            try (Http1ClientResponse res = running.client().post("/token")
                    .contentType(MediaTypes.APPLICATION_FORM_URLENCODED)
                    .submit("grant_type=password&username=" + username + "&password=" + password)) {
                assertThat(res.status(), is(Status.OK_200));
                JsonObject body = res.as(JsonObject.class);
                assertThat(body.getString("scope"), is("me items"));
                token = body.getString("access_token");
            }
            try (Http1ClientResponse res = running.client().get("/users/me")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + token).request()) {
                assertThat(res.as(JsonObject.class).getString("full_name"), is(fullName));
            }
        }
    }

    @Test
    void defaultPublicClientRefreshesAndDemoResourceServerIntrospects() {
        Config shipped = TestApp.shippedConfig();
        assertThat(shipped.get("app.default-client").asString().get(), is("public-client"));
        assertThat(shipped.get("app.clients.1.client-id").asString().get(), is("resource-server"));
        assertThat(shipped.get("app.clients.1.demo").asBoolean().get(), is(true));

        try (TestApp.Running running = TestApp.start(AuthServer.create(shipped))) {
            JsonObject login = post(running, null, "grant_type=password&username=john.doe&password=securepassword");
            assertThat(login.getString("scope"), is("me items"));
            JsonObject refreshed = post(running, null, "grant_type=refresh_token&refresh_token="
                    + login.getString("refresh_token"));
            String demoSecret = java.util.Base64.getEncoder()
                    .encodeToString("resource-server:demo-introspection-secret".getBytes());
            JsonObject introspection = post(running, "Basic " + demoSecret, "/introspect",
                                            "token=" + refreshed.getString("access_token"));
            assertThat(introspection.getBoolean("active"), is(true));
            assertThat(introspection.getString("client_id"), is("public-client"));
            assertThat(introspection.getString("username"), is("john.doe"));
        }
    }

    @Test
    void demoBatchJobGetsATokenOfItsOwnForItems() {
        Config shipped = TestApp.shippedConfig();
        assertThat(shipped.get("app.clients.2.client-id").asString().get(), is("batch-job"));
        assertThat(shipped.get("app.clients.2.demo").asBoolean().get(), is(true));

        try (TestApp.Running running = TestApp.start(AuthServer.create(shipped))) {
            String demoSecret = java.util.Base64.getEncoder().encodeToString("batch-job:demo-batch-secret".getBytes());
            JsonObject issued = post(running, "Basic " + demoSecret, "grant_type=client_credentials");
            assertThat(issued.getString("scope"), is("items"));
            assertThat(issued.containsKey("refresh_token"), is(false));
            try (Http1ClientResponse res = running.client().get("/items/42")
                    .header(HeaderNames.AUTHORIZATION, "Bearer " + issued.getString("access_token")).request()) {
                assertThat(res.as(JsonObject.class).getString("owner"), is("client:batch-job"));
            }
        }
    }

    @Test
    void builtInDefaultsHaveNoClientButTheDefaultPublicOne() {
        Config defaults = Config.just(io.helidon.config.ConfigSources.classpath("application.yaml"));
        assertThat(defaults.get("app.clients").asNodeList().orElse(java.util.List.of()).isEmpty(), is(true));
        assertThat(defaults.get("app.default-client").exists(), is(false));
        assertThat(ConfigKeys.DEFAULT_CLIENT.string(defaults), is("public-client"));
    }

    private static JsonObject post(TestApp.Running running, String authorization, String form) {
        return post(running, authorization, "/token", form);
    }

    private static JsonObject post(TestApp.Running running, String authorization, String path, String form) {
        var request = running.client().post(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        try (Http1ClientResponse res = request.contentType(MediaTypes.APPLICATION_FORM_URLENCODED).submit(form)) {
            assertThat(res.status(), is(Status.OK_200));
            return res.as(JsonObject.class);
        }
    }
}
