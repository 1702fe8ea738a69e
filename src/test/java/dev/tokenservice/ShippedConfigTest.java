package dev.tokenservice;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1ClientResponse;
import jakarta.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The top-level {@code application.yaml} as shipped: the demo users of the classic example log in with their
 * documented passwords. Only the key file and the port are changed.
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
}
